/**
 * Work that can wait until a join's first pictures are in: RNNoise's start (an audio context, its
 * worklet and WebAssembly, then a real-time audio thread for the whole call). Started at the Join
 * click, it held up the first remote frame of a fresh tab by a fifth or more (benchmarks/fresh_tab.py,
 * four people joining at once on a 2-core machine: 997 ms median against 826 with it off), because
 * joining is short of CPU and RNNoise is not on the way to anyone's picture. Until it runs the
 * microphone goes out as it is. No React, no WebRTC here.
 */

/** When the call's connections count as up. */
export function connectionsUp(states: Iterable<RTCPeerConnectionState>): boolean {
  let any = false;
  for (const state of states) {
    if (state !== 'connected') return false;
    any = true;
  }
  return any;
}

/**
 * Runs `begin` once: when the call's connections are up (every mesh link connected, at least one,
 * or the SFU's), or `fallbackMs` after the join (alone in the room, a link that never connects).
 */
export class AfterConnect {
  private readonly begin: () => void;
  private readonly fallbackMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(begin: () => void, fallbackMs = 3000) {
    this.begin = begin;
    this.fallbackMs = fallbackMs;
  }

  /** The server let us in: the fallback's clock starts (once). */
  joined(): void {
    if (this.done || this.timer !== undefined) return;
    this.timer = setTimeout(() => this.fire(), this.fallbackMs);
  }

  /** The links' states now (after any of them changed). */
  statesChanged(states: Iterable<RTCPeerConnectionState>): void {
    if (!this.done && this.timer !== undefined && connectionsUp(states)) this.fire();
  }

  /** Never mind (the call ended). */
  dispose(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  private fire(): void {
    if (this.done) return;
    this.dispose();
    this.begin();
  }
}
