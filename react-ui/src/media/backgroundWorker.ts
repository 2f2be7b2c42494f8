/**
 * Background blur and replacement off the main thread (issue 15), the compositor: the camera's
 * frames arrive as a stream of `VideoFrame`s (a `MediaStreamTrackProcessor`'s readable, transferred
 * here), each is drawn on `OffscreenCanvas`es — the person (the frame through the last mask) over a
 * blur of the room or over an image — and written to a `MediaStreamTrackGenerator`'s writable,
 * whose track the call sends (at most 640 pixels wide: outputSize). The masks come from the segmenter worker (segmenterWorker.ts): a
 * small copy of a frame goes there whenever it is idle and the pacer allows (backgroundPolicy.ts);
 * while it works, frames are drawn with the last mask, so a slow segmentation is skipped, never
 * queued, and the camera keeps its frame rate. Frames that arrive while one is drawn are dropped by
 * the processor (a buffer of one).
 */
import type { BackgroundEffectSpec, FromBackgroundWorker, FromSegmenter, ToBackgroundWorker, ToSegmenter } from './backgroundMessages';
import { coverRect, outputSize, segmentationSize, SegmentPacer } from './backgroundPolicy';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToBackgroundWorker>) => void) | null;
  postMessage(message: FromBackgroundWorker): void;
  close(): void;
  location: { href: string };
}

const scope = self as unknown as WorkerScope;
const pacer = new SegmentPacer();
let effect: BackgroundEffectSpec = { kind: 'blur' };
let image: ImageBitmap | null = null;
let imageUrl = '';
let stopped = false;
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
let writer: WritableStreamDefaultWriter<VideoFrame> | null = null;
let segmenter: MessagePort | null = null;
let segmenting: number | null = null; // when the segmentation under way started, or null
let written = 0;
let announced = false;
let segmented = 0;

// The canvases, sized on the first frame (and again if the camera's size changes).
let out: OffscreenCanvasRenderingContext2D | null = null;
let mask: OffscreenCanvasRenderingContext2D | null = null; // the last mask, person opaque
let blurred: OffscreenCanvasRenderingContext2D | null = null; // the room, small and blurred
let segmentSize = { width: 256, height: 144 };

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'start') start(message.frames, message.sink, message.segmenter, message.effect);
  else if (message.type === 'effect') setEffect(message.effect);
  else stop();
};

function post(message: FromBackgroundWorker): void {
  scope.postMessage(message);
}

function fail(error: unknown): void {
  if (!stopped) post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  stop();
}

function start(frames: ReadableStream<VideoFrame>, sink: WritableStream<VideoFrame>, port: MessagePort, first: BackgroundEffectSpec): void {
  reader = frames.getReader();
  writer = sink.getWriter();
  segmenter = port;
  setEffect(first);
  port.onmessage = (event: MessageEvent<FromSegmenter>) => {
    const message = event.data;
    if (message.type === 'ready') {
      // The model is loaded: frames go through from now on.
      const stats = setInterval(() => post({ type: 'stats', frames: written, segmented, segmentMs: pacer.meanCostMs }), 1000);
      pump().catch(fail).finally(() => clearInterval(stats));
    } else if (message.type === 'mask') {
      if (segmenting !== null) pacer.segmented(segmenting, message.ms);
      segmenting = null;
      if (mask && message.width === mask.canvas.width && message.height === mask.canvas.height) {
        mask.putImageData(new ImageData(message.alpha as Uint8ClampedArray<ArrayBuffer>, message.width, message.height), 0, 0);
        segmented += 1;
      }
    } else {
      fail(new Error(message.message));
    }
  };
}

/** Reads, draws and writes frames until the camera ends or the page stops us. */
async function pump(): Promise<void> {
  if (effect.kind === 'image') await loadImage(effect.url);
  while (!stopped && reader && writer) {
    const { value: frame, done } = await reader.read();
    if (done || !frame) return;
    let drawn: VideoFrame;
    try {
      drawn = compose(frame);
    } finally {
      frame.close();
    }
    // The generator closes the frames written to it; one it refused (stopped) is closed here.
    try {
      await writer.write(drawn);
    } catch (error) {
      drawn.close();
      if (stopped) return;
      throw error;
    }
    written += 1;
    // Ready once a frame with a real mask went out (the segmenter works here, not only loads):
    // until then the page keeps sending the raw camera.
    if (!announced && segmented > 0) {
      announced = true;
      post({ type: 'ready' });
    }
  }
}

function setEffect(next: BackgroundEffectSpec): void {
  effect = next;
  if (next.kind === 'image' && next.url !== imageUrl) void loadImage(next.url).catch(() => undefined);
}

async function loadImage(url: string): Promise<void> {
  if (url === imageUrl && image) return;
  imageUrl = url;
  const response = await fetch(new URL(url, scope.location.href).href);
  if (!response.ok) throw new Error(`background image ${url}: HTTP ${response.status}`);
  const bitmap = await createImageBitmap(await response.blob());
  if (url !== imageUrl) {
    bitmap.close(); // another image was chosen meanwhile
    return;
  }
  image?.close();
  image = bitmap;
}

function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d');
  if (!ctx) throw new Error('no 2D OffscreenCanvas in this worker');
  return ctx;
}

function ensureCanvases(width: number, height: number): void {
  if (out && out.canvas.width === width && out.canvas.height === height) return;
  out = context(width, height);
  segmentSize = segmentationSize(width, height);
  mask = context(segmentSize.width, segmentSize.height);
  // Until the first mask: all person, so the raw frame shows rather than an empty background.
  mask.fillStyle = '#000';
  mask.fillRect(0, 0, segmentSize.width, segmentSize.height);
  blurred = context(Math.max(1, Math.round(width / 4)), Math.max(1, Math.round(height / 4)));
}

/** Sends a small copy of `frame` to the segmenter when it is idle and the pacer allows. */
function requestMask(frame: VideoFrame): void {
  const now = performance.now();
  if (!segmenter || segmenting !== null || !pacer.shouldSegment(now, segmented > 0)) return;
  segmenting = now;
  const port = segmenter;
  createImageBitmap(frame, { resizeWidth: segmentSize.width, resizeHeight: segmentSize.height, resizeQuality: 'low' }).then(
    (small) => {
      if (stopped) return small.close();
      port.postMessage({ type: 'segment', image: small, time: now } satisfies ToSegmenter, [small]);
    },
    (error: unknown) => fail(error),
  );
}

/** The person over the chosen background, as a new frame with the camera frame's timestamp. */
function compose(frame: VideoFrame): VideoFrame {
  const { width, height } = outputSize(frame.displayWidth, frame.displayHeight);
  ensureCanvases(width, height);
  requestMask(frame);

  const o = out!;
  // On one canvas, three full-size draws: the mask (scaled up, smoothed: a soft edge), the frame
  // kept where the mask is opaque (the person), then the background behind it.
  o.globalCompositeOperation = 'copy';
  o.drawImage(mask!.canvas, 0, 0, width, height);
  o.globalCompositeOperation = 'source-in';
  o.drawImage(frame, 0, 0, width, height);
  o.globalCompositeOperation = 'destination-over';
  if (effect.kind === 'image' && image) {
    const r = coverRect(image.width, image.height, width, height);
    o.drawImage(image, r.x, r.y, r.width, r.height);
  } else {
    // The room blurred: drawn small, blurred, scaled back up (cheap, and soft).
    const b = blurred!;
    b.filter = 'blur(3px)';
    b.drawImage(frame, 0, 0, b.canvas.width, b.canvas.height);
    o.drawImage(b.canvas, 0, 0, width, height);
  }
  o.globalCompositeOperation = 'source-over';
  return new VideoFrame(o.canvas, { timestamp: frame.timestamp, alpha: 'discard' });
}

function stop(): void {
  if (stopped) return;
  stopped = true;
  void reader?.cancel().catch(() => undefined);
  void writer?.close().catch(() => undefined);
  segmenter?.postMessage({ type: 'stop' } satisfies ToSegmenter);
  segmenter?.close();
  image?.close();
  scope.close();
}
