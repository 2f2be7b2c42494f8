/**
 * The wire format of a file channel (one ordered, reliable `RTCDataChannel` per peer connection,
 * rtc/fileChannel.ts). Control messages are JSON strings; file data are binary messages. A sender
 * sends one file at a time on a channel: `offer`, then its chunks in order, so a binary message
 * always belongs to the last offered file and needs no header. No I/O in here.
 */

/** The largest file Parley sends (the limit; the whole file is held in memory to hash it). */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
/**
 * Bytes per binary message: Chromium's largest (its SDP's `max-message-size` is 256 KiB; Firefox
 * takes more). A receiver takes messages of any size, so this is the sender's choice alone. Four
 * times fewer messages than 64 KiB: fewer sends, message events and copies per file.
 */
export const CHUNK_BYTES = 256 * 1024;
/**
 * Stop sending while this much waits in the channel's buffer (Chromium throws "send queue is full"
 * at 16 MiB, so a chunk on top must stay under it)...
 */
export const HIGH_WATER_BYTES = 12 * 1024 * 1024;
/**
 * ...and resume when `bufferedamountlow` says it fell to this: still several MB deep, so the SCTP
 * transport never runs dry while the page's main thread (busy with the call's video, React, other
 * tabs on a loaded machine) takes its time to answer the event. At 20 MB/s 8 MiB last 400 ms; the
 * 1 MiB this used to be lasted 50 ms.
 */
export const LOW_WATER_BYTES = 8 * 1024 * 1024;
/** A receiver reports its progress after about this many bytes. */
export const PROGRESS_EVERY_BYTES = 1024 * 1024;

/** What a file is, sent before its bytes. */
export interface FileMeta {
  id: string;
  name: string;
  size: number;
  mime: string;
  /** SHA-256 of the whole file, lowercase hex. */
  sha256: string;
}

/** The control messages on a file channel. */
export type ControlMessage =
  | ({ t: 'offer' } & FileMeta)
  /** Either side gives up on the file (the receiver stops it, or the sender cancels). */
  | { t: 'cancel'; id: string }
  /** The receiver has this many bytes of the file. */
  | { t: 'progress'; id: string; received: number }
  /** The receiver has every byte: `ok` false when the SHA-256 did not match. */
  | { t: 'result'; id: string; ok: boolean };

/** One control message as the string sent on the channel. */
export function encodeControl(message: ControlMessage): string {
  return JSON.stringify(message);
}

/** A control message from the channel, or null when it is not one (a peer's bad message is dropped). */
export function decodeControl(text: string): ControlMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (typeof m.id !== 'string' || m.id.length === 0 || m.id.length > 64) return null;
  switch (m.t) {
    case 'offer':
      if (typeof m.name !== 'string' || typeof m.mime !== 'string' || typeof m.sha256 !== 'string') return null;
      if (!Number.isSafeInteger(m.size) || (m.size as number) < 0 || (m.size as number) > MAX_FILE_BYTES) return null;
      if (!/^[0-9a-f]{64}$/.test(m.sha256)) return null;
      return { t: 'offer', id: m.id, name: m.name.slice(0, 255), size: m.size as number, mime: m.mime.slice(0, 255), sha256: m.sha256 };
    case 'cancel':
      return { t: 'cancel', id: m.id };
    case 'progress':
      return Number.isSafeInteger(m.received) ? { t: 'progress', id: m.id, received: m.received as number } : null;
    case 'result':
      return typeof m.ok === 'boolean' ? { t: 'result', id: m.id, ok: m.ok } : null;
    default:
      return null;
  }
}

/** The byte ranges `[start, end)` a file of `size` bytes is sent in. */
export function* chunkRanges(size: number, chunk = CHUNK_BYTES): Generator<[number, number]> {
  for (let start = 0; start < size; start += chunk) yield [start, Math.min(size, start + chunk)];
}

/**
 * Cuts a stream of byte pieces of any size (a Blob's stream) into messages of `size` bytes, the
 * last one shorter. A piece that holds whole messages is sent from in place, without a copy.
 */
export class Rechunker {
  private partial: Uint8Array<ArrayBuffer> | null = null;
  private filled = 0;

  constructor(private readonly size = CHUNK_BYTES) {}

  /** The whole messages `piece` completes, in order. */
  push(piece: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
    const out: Uint8Array<ArrayBuffer>[] = [];
    let offset = 0;
    while (offset < piece.length) {
      if (this.partial === null && piece.length - offset >= this.size) {
        out.push(piece.subarray(offset, offset + this.size));
        offset += this.size;
        continue;
      }
      this.partial ??= new Uint8Array(this.size);
      const take = Math.min(this.size - this.filled, piece.length - offset);
      this.partial.set(piece.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.size) out.push(this.take()!);
    }
    return out;
  }

  /** What is left (a last, shorter message), or null. */
  end(): Uint8Array<ArrayBuffer> | null {
    return this.take();
  }

  private take(): Uint8Array<ArrayBuffer> | null {
    const partial = this.partial?.subarray(0, this.filled) ?? null;
    this.partial = null;
    this.filled = 0;
    return partial;
  }
}

/** SHA-256 of `data` as lowercase hex (Web Crypto). */
export async function sha256Hex(data: ArrayBuffer | Uint8Array<ArrayBuffer> | Blob): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
