/**
 * The page's side of the compositor worker (compositorWorker.ts): each video of the scene goes to
 * the worker as a stream of frames (`MediaStreamTrackProcessor`), the worker's frames come back as
 * the recording's video track (`MediaStreamTrackGenerator`), and the scene (who is where, by track
 * id) is sent whenever it changes. Chromium has all of this (Qt WebEngine too); elsewhere the main
 * thread draws (compositor.ts).
 */
import { paintSceneOf } from './compositor';
import type { FromWorker, ToWorker } from './compositorMessages';
import type { Scene } from './scene';

/** Chromium's "breakout box" on the page (not in TypeScript's DOM library). */
interface BreakoutBox {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };
  MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> };
}

function breakoutBox(): BreakoutBox | null {
  const scope = globalThis as unknown as Partial<BreakoutBox>;
  return scope.MediaStreamTrackProcessor && scope.MediaStreamTrackGenerator ? (scope as BreakoutBox) : null;
}

/** Whether this browser can compose the recording in a worker. */
export function canComposeOffThread(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof VideoFrame !== 'undefined'
    && breakoutBox() !== null;
}

/** Composes the recording's frames in a worker; the page only says what to show. */
export class OffThreadCompositor {
  /** The recording's video. */
  readonly track: MediaStreamTrack;
  /** Frames the worker drew so far (as it last said). */
  framesDrawn = 0;
  /** Milliseconds the worker spent drawing them. */
  workerDrawMs = 0;
  private readonly worker: Worker;
  private readonly box: BreakoutBox;
  /** The ids of the video tracks the worker receives. */
  private readonly sources = new Set<string>();
  private lastScene = '';
  private closed = false;

  /** `onError`: the worker failed (it could not load, or threw): no more frames come. */
  constructor(width: number, height: number, fps: number, onError: (error: unknown) => void) {
    const box = breakoutBox();
    if (!box) throw new Error('no MediaStreamTrackProcessor/MediaStreamTrackGenerator');
    this.box = box;
    const generator = new box.MediaStreamTrackGenerator({ kind: 'video' });
    this.track = generator;
    this.worker = new Worker(new URL('./compositorWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onerror = (event) => {
      if (!this.closed) onError(new Error(`the recording's compositor failed: ${event.message || 'worker error'}`));
    };
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      this.framesDrawn = event.data.framesDrawn;
      this.workerDrawMs = event.data.drawMs;
    };
    this.post({ type: 'start', width, height, fps, writable: generator.writable }, [generator.writable]);
  }

  /** Shows `scene` from now on: new videos go to the worker, gone ones are dropped. */
  update(scene: Scene): void {
    if (this.closed) return;
    const { paint, tracks } = paintSceneOf(scene);
    for (const id of this.sources) {
      if (tracks.has(id)) continue;
      this.sources.delete(id);
      this.post({ type: 'drop', id });
    }
    for (const [id, track] of tracks) {
      if (this.sources.has(id) || track.readyState !== 'live') continue;
      // One frame buffered: the worker keeps only the newest anyway.
      const { readable } = new this.box.MediaStreamTrackProcessor({ track, maxBufferSize: 1 });
      this.sources.add(id);
      this.post({ type: 'source', id, frames: readable }, [readable]);
    }
    const key = JSON.stringify(paint);
    if (key === this.lastScene) return;
    this.lastScene = key;
    this.post({ type: 'scene', scene: paint });
  }

  /** Stops the worker (it closes its frames and itself) and the recording's video. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.post({ type: 'stop' });
    this.track.stop();
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
