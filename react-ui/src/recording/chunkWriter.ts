/**
 * Writing a recording as it comes: each chunk `MediaRecorder` hands over (about one a second) goes
 * to a {@link ChunkSink} (a file in the browser's private file system, or a file in the user's
 * Videos folder through the desktop bridge; sinks.ts) one after the other, in order, so the page
 * holds at most the chunks still waiting for the disk, never the whole recording.
 */

/** Where a recording's bytes go. Each call is awaited before the next one is made. */
export interface ChunkSink {
  /** Appends one chunk. */
  write(chunk: Blob): Promise<void>;
  /** The recording is whole: close the file; what to tell the user (see {@link RecordingSaved}). */
  close(): Promise<RecordingSaved>;
  /** Give the recording up (its partial file may be removed). */
  abort(): Promise<void>;
}

/** Where a finished recording went. */
export type RecordingSaved =
  /** A browser download of `file`, offered as `name`. */
  | { kind: 'download'; name: string; file: Blob }
  /** A file the desktop app wrote (`path`, in the user's Videos folder). */
  | { kind: 'saved'; name: string; path: string };

/** Writes chunks to a sink in order and reports the first failure. */
export class ChunkWriter {
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;
  private pendingBytes = 0;
  /** Bytes handed to the sink so far. */
  written = 0;
  /** Chunks handed to the sink so far. */
  chunks = 0;

  constructor(
    private readonly sink: ChunkSink,
    /** Called once, with the first error a write met (the recording cannot go on). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Bytes given to {@link write} that the sink has not taken yet. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** Queues `chunk` behind the ones before it; empty chunks are skipped. */
  write(chunk: Blob): void {
    if (this.closed) throw new Error('the recording is closed');
    if (chunk.size === 0 || this.failure) return;
    this.pendingBytes += chunk.size;
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.sink.write(chunk);
        this.written += chunk.size;
        this.chunks += 1;
      } catch (error) {
        this.fail(error);
      } finally {
        this.pendingBytes -= chunk.size;
      }
    });
  }

  /** Waits for every queued chunk, then closes the sink; rejects with the first failure. */
  async finish(): Promise<RecordingSaved> {
    this.closed = true;
    await this.queue;
    if (this.failure) {
      await this.sink.abort().catch(() => undefined);
      throw this.failure;
    }
    return this.sink.close();
  }

  /** Drops what is queued and gives the sink up. */
  async abort(): Promise<void> {
    this.closed = true;
    this.failure ??= new Error('aborted');
    await this.queue;
    await this.sink.abort().catch(() => undefined);
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    this.onError(error);
  }
}
