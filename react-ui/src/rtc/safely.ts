/** Runs a WebRTC call that throws only once its connection has closed, which then does not matter. */

/** Runs `action`, ignoring what it throws (the connection closed meanwhile). */
export function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The connection closed meanwhile.
  }
}
