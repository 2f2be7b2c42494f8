/**
 * Both directions of file sharing with one peer, over one channel (framing.ts): a queue of files
 * we send, one at a time, in chunks with back-pressure on the channel's `bufferedAmount` (sending
 * pauses above {@link HIGH_WATER_BYTES} and resumes on `bufferedamountlow`, never on a timer); and
 * the file the peer is sending us, assembled and checked against its SHA-256. Framework-free and
 * free of WebRTC: it works on anything shaped like {@link ChannelLike} (tests pass a fake).
 */
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  LOW_WATER_BYTES,
  PROGRESS_EVERY_BYTES,
  Rechunker,
  decodeControl,
  encodeControl,
  sha256Hex,
  type ControlMessage,
  type FileMeta,
} from './framing';

/** The part of `RTCDataChannel` file sharing uses. */
export interface ChannelLike {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: string | ArrayBufferView<ArrayBuffer>): void;
  addEventListener(type: 'bufferedamountlow' | 'close' | 'open', listener: () => void): void;
  removeEventListener(type: 'bufferedamountlow' | 'close' | 'open', listener: () => void): void;
}

/** What a {@link FilePeer} tells its owner. */
export interface FilePeerEvents {
  /** The peer starts sending us a file. */
  incoming(meta: FileMeta): void;
  /** We have `received` bytes of the file `id` the peer sends. */
  incomingProgress(id: string, received: number): void;
  /** Every byte of `id` arrived: the file, or null when its SHA-256 did not match (refused). */
  incomingDone(id: string, file: Blob | null): void;
  /** The peer (or we) stopped a file before the end, or the channel closed under it. */
  stopped(id: string): void;
  /** The peer has `received` bytes of a file we send. */
  outgoingProgress(id: string, received: number): void;
  /** The peer has every byte of a file we sent: `ok` false when its SHA-256 did not match. */
  outgoingResult(id: string, ok: boolean): void;
}

/** A file we send, waiting or under way. */
interface Outgoing {
  meta: FileMeta;
  data: Blob;
  cancelled: boolean;
}

/** The file the peer is sending us. */
interface Incoming {
  meta: FileMeta;
  /**
   * The whole file, filled in as chunks arrive: hashed in place at the end (a list of chunks had
   * to become a Blob and be read back whole to be hashed, which cost more than the transfer's
   * last seconds). As much memory as the list held.
   */
  bytes: Uint8Array<ArrayBuffer>;
  received: number;
  reported: number;
}

/** File sharing with one peer over one channel. */
export class FilePeer {
  private readonly queue: Outgoing[] = [];
  /**
   * Ids of files we offered whose `result` has not come. One handed to the channel whole is no
   * longer in the queue, but up to {@link HIGH_WATER_BYTES} of it may still wait in the channel's
   * buffer: it can still be cancelled, or stopped by the channel closing.
   */
  private readonly unconfirmed = new Set<string>();
  private sending = false;
  private incoming: Incoming | null = null;
  /** Ids of files the peer stopped (or we refused), whose chunks still in flight are dropped. */
  private readonly dropping = new Set<string>();
  private closed = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly channel: ChannelLike,
    private readonly events: FilePeerEvents,
  ) {
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.addEventListener('bufferedamountlow', this.wake);
    channel.addEventListener('open', this.wake);
    channel.addEventListener('close', this.onClose);
  }

  /** Queues `data` to be sent as `meta`; the queue sends one file at a time. */
  send(meta: FileMeta, data: Blob): void {
    if (this.closed) {
      this.events.stopped(meta.id);
      return;
    }
    this.queue.push({ meta, data, cancelled: false });
    void this.pump();
  }

  /** Stops the file `id` in either direction and tells the peer. */
  cancel(id: string): void {
    const outgoing = this.queue.find((o) => o.meta.id === id);
    if (outgoing) outgoing.cancelled = true;
    const handedOver = this.unconfirmed.delete(id);
    if (this.incoming?.meta.id === id) {
      this.incoming = null;
      this.dropping.add(id);
    }
    if (outgoing || handedOver || this.dropping.has(id)) {
      this.control({ t: 'cancel', id });
      this.events.stopped(id);
    }
  }

  /** One message from the channel. */
  handle(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
      const message = decodeControl(data);
      if (message) void this.onControl(message);
    } else {
      void this.onChunk(data);
    }
  }

  /** Forgets the channel (the connection is closing): everything under way stops. */
  close(): void {
    this.onClose();
  }

  private readonly wake = (): void => {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  };

  private readonly onClose = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.channel.removeEventListener('bufferedamountlow', this.wake);
    this.channel.removeEventListener('open', this.wake);
    this.channel.removeEventListener('close', this.onClose);
    this.wake();
    const ids = new Set([...this.unconfirmed, ...this.queue.splice(0).map((o) => o.meta.id)]);
    this.unconfirmed.clear();
    for (const id of ids) this.events.stopped(id);
    if (this.incoming) this.events.stopped(this.incoming.meta.id);
    this.incoming = null;
  };

  /** True when the channel cannot take a chunk now (checked without a promise per chunk). */
  private mustWait(): boolean {
    return !this.closed && (this.channel.readyState !== 'open' || this.channel.bufferedAmount > HIGH_WATER_BYTES);
  }

  /** Resolves when the channel can take more (open and below the high water mark) or closed. */
  private async ready(): Promise<void> {
    while (this.mustWait()) {
      if (this.channel.readyState === 'closing' || this.channel.readyState === 'closed') {
        this.onClose();
        return;
      }
      await new Promise<void>((resolve) => (this.wakeUp = resolve));
    }
  }

  /** Sends the queued files, one at a time, until the queue is empty. */
  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const outgoing = this.queue[0];
        await this.sendOne(outgoing);
        this.queue.shift();
      }
    } finally {
      this.sending = false;
    }
  }

  private async sendOne(outgoing: Outgoing): Promise<void> {
    const { meta, data } = outgoing;
    if (outgoing.cancelled) return;
    await this.ready();
    if (this.closed) return;
    this.control({ t: 'offer', ...meta });
    this.unconfirmed.add(meta.id);
    // One sequential read of the file: a Blob.slice() and arrayBuffer() per block cost a round
    // trip to the browser's blob store each (the largest item of the sender's main thread).
    const reader = data.stream().getReader();
    const messages = new Rechunker(CHUNK_BYTES);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const chunks = done ? [messages.end()].filter((c) => c !== null) : messages.push(value);
        for (const chunk of chunks) {
          if (this.mustWait()) await this.ready();
          if (this.closed || outgoing.cancelled) {
            this.unconfirmed.delete(meta.id);
            return;
          }
          this.channel.send(chunk);
        }
        if (done) return;
      }
    } finally {
      // Stopped early: the rest of the file is not read (after the end this does nothing).
      void reader.cancel().catch(() => undefined);
    }
  }

  private control(message: ControlMessage): void {
    if (this.closed || this.channel.readyState !== 'open') return;
    this.channel.send(encodeControl(message));
  }

  private async onControl(message: ControlMessage): Promise<void> {
    switch (message.t) {
      case 'offer': {
        const { t: _t, ...meta } = message;
        // A new offer ends any file still arriving (a sender sends one at a time).
        if (this.incoming) this.events.stopped(this.incoming.meta.id);
        this.incoming = { meta, bytes: new Uint8Array(meta.size), received: 0, reported: 0 };
        this.events.incoming(meta);
        if (meta.size === 0) await this.finishIncoming();
        break;
      }
      case 'cancel': {
        const outgoing = this.queue.find((o) => o.meta.id === message.id);
        if (outgoing && !outgoing.cancelled) {
          outgoing.cancelled = true;
          this.unconfirmed.delete(message.id);
          this.events.stopped(message.id);
        } else if (this.unconfirmed.delete(message.id)) {
          this.events.stopped(message.id);
        } else if (this.incoming?.meta.id === message.id) {
          this.incoming = null;
          this.events.stopped(message.id);
        }
        break;
      }
      case 'progress':
        this.events.outgoingProgress(message.id, message.received);
        break;
      case 'result':
        if (!this.unconfirmed.delete(message.id)) break; // not ours, or already stopped
        this.events.outgoingResult(message.id, message.ok);
        break;
    }
  }

  private async onChunk(chunk: ArrayBuffer): Promise<void> {
    const incoming = this.incoming;
    if (!incoming) return; // the rest of a file that was stopped
    if (incoming.received + chunk.byteLength > incoming.meta.size) {
      // More bytes than announced: the peer is broken; refuse the file.
      this.incoming = null;
      this.dropping.add(incoming.meta.id);
      this.control({ t: 'cancel', id: incoming.meta.id });
      this.events.stopped(incoming.meta.id);
      return;
    }
    incoming.bytes.set(new Uint8Array(chunk), incoming.received);
    incoming.received += chunk.byteLength;
    if (incoming.received - incoming.reported >= PROGRESS_EVERY_BYTES || incoming.received === incoming.meta.size) {
      incoming.reported = incoming.received;
      this.events.incomingProgress(incoming.meta.id, incoming.received);
      this.control({ t: 'progress', id: incoming.meta.id, received: incoming.received });
    }
    if (incoming.received === incoming.meta.size) await this.finishIncoming();
  }

  /** Every byte is here: check the SHA-256, keep the file or refuse it, tell the sender. */
  private async finishIncoming(): Promise<void> {
    const incoming = this.incoming;
    if (!incoming) return;
    this.incoming = null;
    const ok = (await sha256Hex(incoming.bytes)) === incoming.meta.sha256;
    this.control({ t: 'result', id: incoming.meta.id, ok });
    this.events.incomingDone(incoming.meta.id, ok ? new Blob([incoming.bytes], { type: incoming.meta.mime }) : null);
  }
}
