/**
 * The recording's compositor, off the main thread: each video arrives as a stream of `VideoFrame`s
 * (a `MediaStreamTrackProcessor`'s readable, transferred here), the latest frame of each is kept,
 * and at the recording's frame rate the scene is painted (paint.ts) into an `OffscreenCanvas` whose
 * frame goes to the recording's video track (a `MediaStreamTrackGenerator`'s writable). The page
 * sends the scene when it changes (offThreadCompositor.ts); the call's own work on the main thread
 * no longer competes with the drawing.
 */
import { paint, type PaintScene } from './paint';
import type { ToWorker } from './compositorMessages';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

const scope = self as unknown as WorkerScope;
const latest = new Map<string, VideoFrame>();
const readers = new Map<string, ReadableStreamDefaultReader<VideoFrame>>();
let scene: PaintScene = { stage: null, tiles: [] };
let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
let writer: WritableStreamDefaultWriter<VideoFrame> | null = null;
let drawTimer: ReturnType<typeof setInterval> | null = null;
let statsTimer: ReturnType<typeof setInterval> | null = null;
let writing = false;
let framesDrawn = 0;
let drawMs = 0;

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      start(message.width, message.height, message.fps, message.writable);
      break;
    case 'source':
      void pump(message.id, message.frames);
      break;
    case 'drop':
      drop(message.id);
      break;
    case 'scene':
      scene = message.scene;
      break;
    case 'stop':
      stop();
      break;
  }
};

function start(width: number, height: number, fps: number, writable: WritableStream<VideoFrame>): void {
  canvas = new OffscreenCanvas(width, height);
  context = canvas.getContext('2d', { alpha: false });
  writer = writable.getWriter();
  drawTimer = setInterval(draw, 1000 / fps);
  statsTimer = setInterval(() => scope.postMessage({ type: 'stats', framesDrawn, drawMs }), 500);
}

/** Keeps the latest frame of one video (the earlier ones are closed unseen: only the newest is drawn). */
async function pump(id: string, frames: ReadableStream<VideoFrame>): Promise<void> {
  const reader = frames.getReader();
  drop(id);
  readers.set(id, reader);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (readers.get(id) !== reader) {
        value.close();
        break;
      }
      latest.get(id)?.close();
      latest.set(id, value);
    }
  } catch {
    // The track ended or the source was dropped: its last frame stays until the scene drops it.
  }
}

function drop(id: string): void {
  const reader = readers.get(id);
  readers.delete(id);
  void reader?.cancel().catch(() => undefined);
  latest.get(id)?.close();
  latest.delete(id);
}

function draw(): void {
  // The encoder has not taken the last frame yet: skip this one rather than queue frames up.
  if (!canvas || !context || !writer || writing) return;
  const began = performance.now();
  paint(context, canvas.width, canvas.height, scene, (id) => {
    const frame = latest.get(id);
    return frame ? { image: frame, width: frame.displayWidth, height: frame.displayHeight } : null;
  });
  const frame = new VideoFrame(canvas, { timestamp: Math.round(began * 1000) });
  framesDrawn += 1;
  drawMs += performance.now() - began;
  writing = true;
  writer
    .write(frame)
    .catch(() => undefined)
    .finally(() => {
      writing = false;
      frame.close(); // the generator may have closed it already; closing twice is harmless
    });
}

function stop(): void {
  if (drawTimer) clearInterval(drawTimer);
  if (statsTimer) clearInterval(statsTimer);
  scope.postMessage({ type: 'stats', framesDrawn, drawMs });
  for (const id of [...readers.keys(), ...latest.keys()]) drop(id);
  const closing = writer?.close().catch(() => undefined) ?? Promise.resolve();
  void closing.finally(() => scope.close());
}
