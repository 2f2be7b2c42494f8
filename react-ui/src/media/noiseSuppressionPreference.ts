/** Whether the microphone goes through noise suppression (RNNoise): on unless switched off, remembered in this browser. */

const KEY = 'parley.noiseSuppression';

/** True unless the person switched noise suppression off in this browser. */
export function noiseSuppressionWanted(): boolean {
  try {
    return window.localStorage.getItem(KEY) !== 'off';
  } catch {
    return true; // storage blocked (private mode, sandboxed frame): the default
  }
}

/** Remembers the Noise suppression switch. */
export function rememberNoiseSuppression(on: boolean): void {
  try {
    window.localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered: on next time.
  }
}
