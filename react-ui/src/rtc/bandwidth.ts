/**
 * Sender limits for a full mesh: every participant uploads one copy of each track per peer, so the
 * per-copy bitrate and resolution go down as the room grows, and the camera steps back while a
 * screen is shared (the screen is what people look at then). Pure policy plus one small function
 * that applies it to an `RTCRtpSender`.
 */

/** What a sender carries. */
export type SenderRole = 'audio' | 'camera' | 'screen';

/** The subset of `RTCRtpEncodingParameters` we set. */
export interface EncodingLimits {
  maxBitrate?: number;
  scaleResolutionDownBy?: number;
  maxFramerate?: number;
  /** What the encoder gives up first when short of bandwidth or CPU. */
  degradationPreference?: RTCDegradationPreference;
}

/** About what one person's uplink can spend on video in total, in bits per second. */
const UPLINK_VIDEO_BUDGET = 2_500_000;

/** The height a camera is sent at, at most, while a screen is shared (a thumbnail beside the stage). */
export const SHARE_CAMERA_HEIGHT = 180;

/**
 * Limits for one sender when we have `peerCount` remote peers and `screenActive` says whether
 * anyone in the room shares a screen. `captureHeight` is the camera's height (720 when unknown).
 */
export function encodingLimits(
  role: SenderRole,
  peerCount: number,
  screenActive: boolean,
  captureHeight?: number,
): EncodingLimits {
  const peers = Math.max(1, peerCount);
  if (role === 'audio') return {};
  if (role === 'screen') {
    // Text must stay legible: keep the resolution, spend most of the budget, fewer frames.
    const maxBitrate = clamp(Math.round((UPLINK_VIDEO_BUDGET * 0.8) / peers), 300_000, 2_500_000);
    return { maxBitrate, scaleResolutionDownBy: 1, maxFramerate: 15, degradationPreference: 'maintain-resolution' };
  }
  const maxBitrate = clamp(Math.round(UPLINK_VIDEO_BUDGET / peers), 150_000, 1_500_000);
  const height = captureHeight && captureHeight > 0 ? captureHeight : 720;
  if (screenActive) {
    // The cameras show as thumbnails beside the stage: a small picture, which also leaves the
    // CPU to the screen's encoders and decoders (a switch of sharer waits for their first frame).
    const thumbnail = Math.max(1, height / SHARE_CAMERA_HEIGHT);
    return { maxBitrate: Math.min(maxBitrate, 200_000), scaleResolutionDownBy: thumbnail, maxFramerate: 15 };
  }
  return {
    maxBitrate,
    scaleResolutionDownBy: Math.max(1, height / cameraHeight(peers)),
    maxFramerate: cameraFrameRate(peers),
  };
}

/** The frame rate a camera is sent at, at most, with `peers` peers. */
export function cameraFrameRate(peers: number): number {
  return peers >= 4 ? 15 : peers === 3 ? 20 : 30;
}

/**
 * What the camera needs to capture, at most, for its largest copy: {@link cameraHeight} lines at
 * {@link cameraFrameRate} (a thumbnail while a screen is shared), 16:9. Capturing more would only
 * be scaled down again by every sender of the mesh and by our own preview, frame by frame.
 */
export function cameraCapture(peerCount: number, screenActive: boolean): { height: number; frameRate: number } {
  const peers = Math.max(1, peerCount);
  if (screenActive) return { height: SHARE_CAMERA_HEIGHT, frameRate: 15 };
  return { height: cameraHeight(peers), frameRate: cameraFrameRate(peers) };
}

/**
 * The height a camera is sent at with `peers` peers. The tiles get smaller as the room grows (two
 * people side by side, three or four in a 2×2 grid, five or six in 3×2), and in a mesh every copy
 * is encoded on its own and every remote camera decoded on its own, so the pictures get smaller
 * faster than the tiles: with six people in one browser on a 2-core machine (one speaking), 240
 * lines gave 13 frames/s and freezes, 180 lines 14.7 of the 15 asked and none.
 */
export function cameraHeight(peers: number): number {
  if (peers <= 1) return 720;
  if (peers === 2) return 540;
  if (peers === 3) return 360;
  if (peers === 4) return 240;
  return 180;
}

/** The height a camera starts at on a new link, before it is raised to {@link encodingLimits}. */
export const START_HEIGHT = 180;

/**
 * Limits for a camera on a link that is still connecting: a small, cheap picture (about
 * {@link START_HEIGHT} lines, 15 frames/s) so that the encoder's first keyframe is small and quick to
 * make and to send, which is what the first frame on the other side waits for. With several people
 * joining at once on one machine the encoders are what the CPU is short of. `captureHeight` is the
 * camera's height (720 when unknown).
 */
export function startLimits(captureHeight: number | undefined): EncodingLimits {
  const height = captureHeight && captureHeight > 0 ? captureHeight : 720;
  return { maxBitrate: 300_000, scaleResolutionDownBy: Math.max(1, height / START_HEIGHT), maxFramerate: 15 };
}

/**
 * Applies limits to a sender. Before the first negotiation a sender may have no encodings yet; then
 * there is nothing to change and the next call (after negotiation) applies them.
 */
export async function applyEncodingLimits(sender: RTCRtpSender, limits: EncodingLimits): Promise<boolean> {
  const params = sender.getParameters();
  if (!params.encodings || params.encodings.length === 0) return false;
  const encodings = params.encodings.map((encoding) => {
    const next: RTCRtpEncodingParameters = { ...encoding };
    for (const key of ['maxBitrate', 'scaleResolutionDownBy', 'maxFramerate'] as const) {
      if (limits[key] === undefined) delete next[key];
      else next[key] = limits[key];
    }
    return next;
  });
  try {
    const next: RTCRtpSendParameters = { ...params, encodings };
    if (limits.degradationPreference) next.degradationPreference = limits.degradationPreference;
    await sender.setParameters(next);
    return true;
  } catch {
    // A sender that was removed or a connection that closed meanwhile: nothing to limit.
    return false;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
