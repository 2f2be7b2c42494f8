/**
 * Getting the camera and microphone, and saying in plain words what went wrong. No React.
 */
import { i18n } from '../i18n';
import { browserNoiseSuppression } from './noiseSuppression';

/** Why the browser gave us no camera or microphone. */
export type MediaProblem = 'denied' | 'inUse' | 'notFound' | 'insecure' | 'other';

/** What a person is told about a {@link MediaProblem}, in the shown language. */
export function describeMediaProblem(problem: MediaProblem, what: 'camera' | 'microphone' | 'camera and microphone'): string {
  // One sentence per device (not the device's name put into one): languages inflect around it.
  const device = what === 'camera and microphone' ? 'both' : what;
  return i18n.t(problem === 'insecure' ? 'errors:media.insecure' : `errors:media.${problem}_${device}`);
}

/** Classifies a `getUserMedia` / `getDisplayMedia` rejection. */
export function classifyMediaError(error: unknown): MediaProblem {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'inUse';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'notFound';
  return 'other';
}

/** What to ask for. */
export interface MediaRequest {
  audioDeviceId?: string;
  videoDeviceId?: string;
  /**
   * Whether the device ids must be met (a choice just made) or only preferred (remembered from an
   * earlier visit: the device may be gone, and then another one is better than none); for both
   * kinds, or per kind.
   */
  exact?: boolean | { audio: boolean; video: boolean };
}

/** The outcome: a stream with whatever could be had, and the problems per kind. */
export interface LocalMediaResult {
  stream: MediaStream | null;
  audioProblem: MediaProblem | null;
  videoProblem: MediaProblem | null;
}

/** The size and rate to capture at. */
export interface CaptureFit {
  height: number;
  frameRate: number;
}

/** The camera's constraints for a fit: 16:9 at `height` lines, at most `frameRate` frames/s. */
export function captureConstraints(fit: CaptureFit): MediaTrackConstraints {
  return {
    width: { ideal: Math.round((fit.height * 16) / 9) },
    height: { ideal: fit.height },
    frameRate: { ideal: fit.frameRate, max: fit.frameRate },
  };
}

/**
 * The fit every camera is opened at: 360p, 30 frames/s; in a call it is then fitted to the room
 * (rtc/cameraFit.ts), raised to 540 or 720 lines for three or two people once the room has settled.
 * Opened small because a join's first pictures go out at 180 lines anyway (bandwidth.ts
 * startLimits): a 720p capture only costs CPU while four tabs joining at once on one machine are
 * short of it, and four people (360 lines) need no camera restart at all.
 */
export const OPENED_FIT: CaptureFit = { height: 360, frameRate: 30 };

const VIDEO_CONSTRAINTS: MediaTrackConstraints = captureConstraints(OPENED_FIT);

/**
 * Asks for camera and microphone together (one permission prompt); if that fails, tries each alone
 * so that a busy camera does not cost the microphone, and reports what failed.
 */
export async function getLocalMedia(
  request: MediaRequest,
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<LocalMediaResult> {
  if (!mediaDevices?.getUserMedia) return { stream: null, audioProblem: 'insecure', videoProblem: 'insecure' };
  const exact = request.exact ?? true;
  const audio = audioConstraints(request.audioDeviceId, typeof exact === 'boolean' ? exact : exact.audio);
  const video = videoConstraints(request.videoDeviceId, typeof exact === 'boolean' ? exact : exact.video);
  try {
    return { stream: await mediaDevices.getUserMedia({ audio, video }), audioProblem: null, videoProblem: null };
  } catch (both) {
    // A denial covers both kinds: asking again one by one would only be denied again.
    if (classifyMediaError(both) === 'denied') return { stream: null, audioProblem: 'denied', videoProblem: 'denied' };
  }
  const streams: MediaStream[] = [];
  let audioProblem: MediaProblem | null = null;
  let videoProblem: MediaProblem | null = null;
  try {
    streams.push(await mediaDevices.getUserMedia({ audio }));
  } catch (error) {
    audioProblem = classifyMediaError(error);
  }
  try {
    streams.push(await mediaDevices.getUserMedia({ video }));
  } catch (error) {
    videoProblem = classifyMediaError(error);
  }
  let stream: MediaStream | null = streams[0] ?? null;
  if (streams.length > 1) stream = new MediaStream(streams.flatMap((s) => s.getTracks()));
  return { stream, audioProblem, videoProblem };
}

/**
 * What we ask of a microphone (`deviceId`: that one, `exact` or only preferred). The browser's own
 * noise suppression only while RNNoise does not run (noiseSuppression.ts): the two would fight.
 */
export function audioConstraints(deviceId?: string, exact = true): MediaTrackConstraints {
  const base: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: browserNoiseSuppression() };
  return deviceId ? { ...base, deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : base;
}

/** What we ask of a camera (`deviceId`: that one, `exact` or only preferred). */
export function videoConstraints(deviceId?: string, exact = true): MediaTrackConstraints {
  return deviceId ? { ...VIDEO_CONSTRAINTS, deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : VIDEO_CONSTRAINTS;
}

/**
 * Opens one device (switching camera or microphone during a call; no `deviceId`: the system's
 * default one): a stream with its one track. Rejects as getUserMedia does (see
 * {@link classifyMediaError}).
 */
export function openDevice(
  kind: 'audio' | 'video',
  deviceId?: string,
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<MediaStream> {
  if (!mediaDevices?.getUserMedia) return Promise.reject(Object.assign(new Error('no mediaDevices'), { name: 'SecurityError' }));
  return mediaDevices.getUserMedia(kind === 'audio' ? { audio: audioConstraints(deviceId) } : { video: videoConstraints(deviceId) });
}

/** Stops every track of a stream (the camera light goes off). */
export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
