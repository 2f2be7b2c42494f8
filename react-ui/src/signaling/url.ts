/** Where the signaling WebSocket lives: `ws(s)://<same host>/ws`. */

/** The WebSocket URL for a page served at `location` (same host and port, `wss` under https). */
export function signalingUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
