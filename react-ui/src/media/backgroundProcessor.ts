/**
 * The page's side of background processing: the camera track's frames go to the worker
 * (backgroundWorker.ts) through a `MediaStreamTrackProcessor`, and come back as the track of a
 * `MediaStreamTrackGenerator` (Chromium's "breakout box", Qt WebEngine too). The streams are
 * transferred, so no frame passes through the main thread.
 */
import type { BackgroundEffectSpec, FromBackgroundWorker, ToBackgroundWorker } from './backgroundMessages';

/** Chromium's breakout box on the page (not in TypeScript's DOM library). */
interface BreakoutBox {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };
  MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> };
}

function breakoutBox(): BreakoutBox | null {
  const scope = globalThis as unknown as Partial<BreakoutBox>;
  return scope.MediaStreamTrackProcessor && scope.MediaStreamTrackGenerator ? (scope as BreakoutBox) : null;
}

/** Whether this browser can process the camera in a worker (the model may still fail to load there). */
export function backgroundSupported(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof VideoFrame !== 'undefined'
    && breakoutBox() !== null;
}

/** What a running processor offers the call (tests pass fakes, see background.ts). */
export interface Processor {
  /** The camera track it processes. */
  readonly source: MediaStreamTrack;
  /** The processed track (frames only once {@link running}). */
  readonly output: MediaStreamTrack;
  /** True once the first frame drawn with a real mask was written. */
  readonly running: boolean;
  /** Draws another background from the next frame on. */
  setEffect(effect: BackgroundEffectSpec): void;
  /** Frames written and segmented so far (the worker's last report). */
  readonly stats: { frames: number; segmented: number; segmentMs: number };
  /** Stops the worker and the processed track. */
  close(): void;
}

/** Callbacks of a processor: it started sending, or it failed (then the raw camera goes out). */
export interface ProcessorEvents {
  onRunning: () => void;
  onError: (error: Error) => void;
}

/** Starts processing `source` in a worker with `effect`. Throws where the browser cannot. */
export function startProcessor(source: MediaStreamTrack, effect: BackgroundEffectSpec, events: ProcessorEvents): Processor {
  const box = breakoutBox();
  if (!box) throw new Error('no MediaStreamTrackProcessor/MediaStreamTrackGenerator in this browser');
  // A buffer of one frame: a frame that arrives while the worker is busy replaces the waiting one
  // (stale frames are dropped, never queued).
  const { readable } = new box.MediaStreamTrackProcessor({ track: source, maxBufferSize: 1 });
  const generator = new box.MediaStreamTrackGenerator({ kind: 'video' });
  const worker = new Worker(new URL('./backgroundWorker.ts', import.meta.url), { type: 'module' });
  // The segmenter in a worker of its own, talking to the compositor over a channel.
  const segmenter = new Worker(new URL('./segmenterWorker.ts', import.meta.url), { type: 'module' });
  const channel = new MessageChannel();
  segmenter.postMessage({ port: channel.port2 }, [channel.port2]);
  let running = false;
  let closed = false;
  const stats = { frames: 0, segmented: 0, segmentMs: 0 };
  const post = (message: ToBackgroundWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  const fail = (error: Error) => {
    if (closed) return;
    processor.close();
    events.onError(error);
  };
  worker.onerror = (event) => fail(new Error(`background worker: ${event.message || 'failed to load'}`));
  segmenter.onerror = (event) => fail(new Error(`segmenter worker: ${event.message || 'failed to load'}`));
  worker.onmessage = (event: MessageEvent<FromBackgroundWorker>) => {
    const message = event.data;
    if (message.type === 'ready') {
      running = true;
      if (!closed) events.onRunning();
    } else if (message.type === 'error') {
      fail(new Error(message.message));
    } else {
      Object.assign(stats, { frames: message.frames, segmented: message.segmented, segmentMs: message.segmentMs });
    }
  };
  post({ type: 'start', frames: readable, sink: generator.writable, segmenter: channel.port1, effect }, [
    readable as unknown as Transferable,
    generator.writable as unknown as Transferable,
    channel.port1,
  ]);
  const processor: Processor = {
    source,
    output: generator,
    get running() {
      return running && !closed;
    },
    stats,
    setEffect: (next) => {
      if (!closed) post({ type: 'effect', effect: next });
    },
    close: () => {
      if (closed) return;
      closed = true;
      post({ type: 'stop' });
      generator.stop();
      // The workers close themselves on 'stop'; if one hangs (a read, a model still loading), this ends it anyway.
      setTimeout(() => {
        worker.terminate();
        segmenter.terminate();
      }, 2000);
    },
  };
  return processor;
}
