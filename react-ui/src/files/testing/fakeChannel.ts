/** A fake pair of data channels for the file transfer's tests (no WebRTC in Node). */
import type { ChannelLike } from '../filePeer';

/**
 * One end of a fake data channel pair. Sent messages sit in `bufferedAmount` until `drain` moves
 * them to the other end, as the SCTP transport would; `bufferedamountlow` fires when the buffer
 * falls to the threshold, like the browser's.
 */
export class FakeChannel implements ChannelLike {
  readyState: RTCDataChannelState = 'open';
  bufferedAmountLowThreshold = 0;
  peer: FakeChannel | null = null;
  onmessage: (data: string | ArrayBuffer) => void = (data) => this.dispatch('message', { data });
  readonly pending: (string | ArrayBuffer)[] = [];
  maxBuffered = 0;
  private readonly listeners = new Map<string, Set<(event?: unknown) => void>>();

  get bufferedAmount(): number {
    return this.pending.reduce((sum, m) => sum + (typeof m === 'string' ? m.length : m.byteLength), 0);
  }

  send(data: string | ArrayBufferView<ArrayBuffer>): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    this.pending.push(typeof data === 'string' ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
  }

  /** Delivers up to `bytes` of what waits (everything by default). */
  drain(bytes = Infinity): void {
    const before = this.bufferedAmount;
    let moved = 0;
    while (this.pending.length > 0 && moved < bytes) {
      const message = this.pending.shift()!;
      moved += typeof message === 'string' ? message.length : message.byteLength;
      this.peer?.onmessage(message);
    }
    if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.dispatch('bufferedamountlow');
    }
  }

  close(): void {
    this.readyState = 'closed';
    this.dispatch('close');
  }

  addEventListener(type: string, listener: (event?: never) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener as (event?: unknown) => void);
  }

  removeEventListener(type: string, listener: (event?: never) => void): void {
    this.listeners.get(type)?.delete(listener as (event?: unknown) => void);
  }

  listenerCount(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }

  private dispatch(type: string, event?: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

/** Two fake channels joined to each other. */
export function channelPair(): [FakeChannel, FakeChannel] {
  const a = new FakeChannel();
  const b = new FakeChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
