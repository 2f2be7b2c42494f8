/**
 * What **Share screen** asks the browser for: the screen (up to 30 frames/s) and, where the browser
 * offers it, its sound (Chromium: a tab's audio, and on Windows the system's). No React.
 */

/** The `getDisplayMedia` options of a share with sound. */
export const DISPLAY_MEDIA_OPTIONS = {
  // Captured at up to 30 frames/s, sent at 15 (bandwidth.ts): the others see the first frame
  // sooner (a 10-pair A/B of share switches: 116 ms against 135 ms medians), for no CPU we
  // could measure (a 3-person call with a share used 1.16 cores either way).
  video: { frameRate: { ideal: 30, max: 30 } },
  // The system's sound would carry the call itself (the others' voices, played by this tab) back
  // to them: restrictOwnAudio takes this tab's sound out of it where the browser can. A shared
  // video's soundtrack or music goes as it is: no echo cancelling, noise suppression or gain
  // control, which are made for a voice (Chromium turns them on for it otherwise).
  audio: { restrictOwnAudio: true, echoCancellation: false, noiseSuppression: false, autoGainControl: false } as MediaTrackConstraints,
  systemAudio: 'include',
} as DisplayMediaStreamOptions;

/**
 * Asks for the screen with its sound; a browser that refuses sound outright (rather than the user
 * refusing the share) is asked again for the screen alone, as before.
 */
export async function captureDisplay(mediaDevices: Pick<MediaDevices, 'getDisplayMedia'>): Promise<MediaStream> {
  try {
    return await mediaDevices.getDisplayMedia(DISPLAY_MEDIA_OPTIONS);
  } catch (error) {
    if (!refusesSound(error)) throw error;
    return mediaDevices.getDisplayMedia({ ...DISPLAY_MEDIA_OPTIONS, audio: false });
  }
}

/** Errors that say the options (the sound) cannot be had here, not that the user said no. */
function refusesSound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'TypeError' || name === 'NotSupportedError' || name === 'OverconstrainedError';
}
