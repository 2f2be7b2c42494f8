/**
 * When to ask for fresh ICE servers: TURN credentials of the REST API scheme expire (`username`
 * is `<expiry>:<userId>`, the expiry in Unix seconds), and a call that outlives them could not
 * restart ICE through TURN. Pure.
 */
import type { WireIceServer } from '../signaling/messages';

/**
 * How long from `nowMs` until fresh servers should be asked for: half the remaining life of the
 * soonest-expiring credentials, but not sooner than `minMs`; null when none expire (no TURN, or
 * credentials of another scheme).
 */
export function iceRefreshDelay(servers: readonly WireIceServer[], nowMs: number, minMs: number): number | null {
  let soonest = Infinity;
  for (const server of servers) {
    const match = /^(\d+(?:\.\d+)?):/.exec(server.username ?? '');
    if (match) soonest = Math.min(soonest, Number(match[1]) * 1000);
  }
  if (soonest === Infinity) return null;
  return Math.max(minMs, (soonest - nowMs) / 2);
}

/** Asks for fresh ICE servers (`request`) before the last ones' TURN credentials expire. */
export class IceRefresher {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly request: () => void,
    /** The soonest it asks after servers came, in ms. */
    private readonly minMs = 60_000,
  ) {}

  /** These servers just came (`joined` or `iceServers`): plan the next request from them. */
  schedule(servers: readonly WireIceServer[]): void {
    this.stop();
    const delay = iceRefreshDelay(servers, Date.now(), this.minMs);
    if (delay === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request();
    }, delay);
  }

  /** No more requests (the call ended). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
