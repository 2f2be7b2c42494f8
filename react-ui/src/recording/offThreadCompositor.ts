/**
 * The page's side of the compositor worker (compositorWorker.ts): each video of the scene goes to
 * the worker as a stream of frames (`MediaStreamTrackProcessor`), the worker draws into a canvas
 * whose control it was given (`transferControlToOffscreen`), whose `captureStream` is the recording's
 * video, and the scene (who is where, by track id) is sent whenever it changes. Chromium has all of
 * this (Qt WebEngine too); elsewhere the main thread draws (compositor.ts).
 *
 * (A `MediaStreamTrackGenerator` fed with `new VideoFrame(offscreenCanvas)` was tried first: in a
 * loaded 3-person call the worker drew 12 frames/s but only 3-4 a second reached the file, fewer
 * than the main thread's 7; the canvas capture, the main thread's path, keeps them.)
 */
import { paintSceneOf } from './compositor';
import type { FromWorker, ToWorker } from './compositorMessages';
import type { Scene } from './scene';

/** Chromium's "breakout box" on the page (not in TypeScript's DOM library). */
interface BreakoutBox {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };
}

function breakoutBox(): BreakoutBox | null {
  const scope = globalThis as unknown as Partial<BreakoutBox>;
  return scope.MediaStreamTrackProcessor ? (scope as BreakoutBox) : null;
}

/** Whether this browser can compose the recording in a worker. */
export function canComposeOffThread(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof VideoFrame !== 'undefined'
    && typeof HTMLCanvasElement !== 'undefined'
    && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function'
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
    if (!box) throw new Error('no MediaStreamTrackProcessor');
    this.box = box;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const offscreen = canvas.transferControlToOffscreen();
    this.track = canvas.captureStream(fps).getVideoTracks()[0];
    this.worker = new Worker(new URL('./compositorWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onerror = (event) => {
      if (!this.closed) onError(new Error(`the recording's compositor failed: ${event.message || 'worker error'}`));
    };
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      this.framesDrawn = event.data.framesDrawn;
      this.workerDrawMs = event.data.drawMs;
    };
    this.post({ type: 'start', canvas: offscreen, fps }, [offscreen]);
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
