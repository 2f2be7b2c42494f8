/**
 * The limits of our video to one person whose connection has been poor for more than 10 s
 * (downgradePolicy.ts): fewer bits and, for the camera, fewer lines, on that one connection only,
 * so the others keep the picture the room's limits give them (rtc/bandwidth.ts). Pure.
 */
import type { EncodingLimits, SenderRole } from '../rtc/bandwidth';

/** The least bitrate a lowered camera keeps (a small moving picture still fits). */
export const LOWERED_CAMERA_MIN_BITRATE = 100_000;
/** The least bitrate a lowered screen keeps. */
export const LOWERED_SCREEN_MIN_BITRATE = 150_000;

/** `limits` lowered for a poor connection (audio is left alone: it is what a call needs most). */
export function lowerLimits(role: SenderRole, limits: EncodingLimits): EncodingLimits {
  if (role === 'audio') return limits;
  if (role === 'screen') {
    // Text must stay legible: keep the resolution, send fewer frames and bits.
    return {
      ...limits,
      maxBitrate: Math.max(LOWERED_SCREEN_MIN_BITRATE, Math.round((limits.maxBitrate ?? 2_500_000) / 2)),
      maxFramerate: Math.min(limits.maxFramerate ?? 15, 5),
    };
  }
  // Half the lines (a quarter of the pixels) and a third of the bits; the frame rate stays, so
  // that motion and lip sync stay natural.
  return {
    ...limits,
    maxBitrate: Math.max(LOWERED_CAMERA_MIN_BITRATE, Math.round((limits.maxBitrate ?? 1_500_000) / 3)),
    scaleResolutionDownBy: (limits.scaleResolutionDownBy ?? 1) * 2,
  };
}
