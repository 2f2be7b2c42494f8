/**
 * The recording's compositor, off the main thread: each video arrives as a stream of `VideoFrame`s
 * (a `MediaStreamTrackProcessor`'s readable, transferred here), the latest frame of each is kept,
 * and at the recording's frame rate the scene is painted (paint.ts) into the page's canvas, whose
 * control was transferred here (`OffscreenCanvas`); the page's `captureStream` of that canvas is
 * the recording's video. The page sends the scene when it changes (offThreadCompositor.ts); the
 * call's own work on the main thread no longer competes with the drawing.
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
let drawTimer: ReturnType<typeof setInterval> | null = null;
let statsTimer: ReturnType<typeof setInterval> | null = null;
let framesDrawn = 0;
let drawMs = 0;

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      start(message.canvas, message.fps);
      break;
    case 'source':
      void pump(message.id, message.frames);
      break;
    case 'drop':
      drop(message.id);
      break;
    case 'scene':
      scene = message.scene;
      // The first scene is drawn at once: the recording's picture starts with its sound, the
      // names and initials showing until each video's first frame is here.
      if (framesDrawn === 0) draw();
      break;
    case 'stop':
      stop();
      break;
  }
};

function start(target: OffscreenCanvas, fps: number): void {
  canvas = target;
  context = canvas.getContext('2d', { alpha: false });
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
  if (!canvas || !context) return;
  const began = performance.now();
  // The canvas shows the new frame when this task ends (an OffscreenCanvas commits by itself).
  paint(context, canvas.width, canvas.height, scene, (id) => {
    const frame = latest.get(id);
    return frame ? { image: frame, width: frame.displayWidth, height: frame.displayHeight } : null;
  });
  framesDrawn += 1;
  drawMs += performance.now() - began;
}

function stop(): void {
  if (drawTimer) clearInterval(drawTimer);
  if (statsTimer) clearInterval(statsTimer);
  scope.postMessage({ type: 'stats', framesDrawn, drawMs });
  for (const id of [...readers.keys(), ...latest.keys()]) drop(id);
  scope.close();
}
