/**
 * The person segmentation of background effects, in a worker of its own (issue 15): MediaPipe's
 * ImageSegmenter (CPU delegate, the selfie segmentation model) turns a small picture of the
 * camera's frame into a mask, person opaque. It runs beside the compositor (backgroundWorker.ts),
 * which keeps drawing every camera frame with the last mask while a segmentation is under way: a
 * slow segmentation lowers how often the mask follows the person, never the camera's frame rate.
 *
 * Everything is served by Parley: the WebAssembly runtime and its loader come from the npm package
 * `@mediapipe/tasks-vision`, the model from ./models (see add_metadata.py there); nothing from a
 * CDN, so it works in LAN meetings without internet.
 */
import { ImageSegmenter } from '@mediapipe/tasks-vision';
import wasmLoader from '@mediapipe/tasks-vision/vision_wasm_module_internal.js?url';
import wasmBinary from '@mediapipe/tasks-vision/vision_wasm_module_internal.wasm?url';
import modelUrl from './models/selfie_segmentation_landscape.tflite?url';
import type { FromSegmenter, ToSegmenter } from './backgroundMessages';
import { maskToAlpha } from './backgroundPolicy';

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ port: MessagePort }>) => void) | null;
  close(): void;
  location: { href: string };
}

const scope = self as unknown as WorkerScope;

// tasks-vision 1.1.0 reports its usage: every 60 s and on close it POSTs to odml.pa.googleapis.com
// (its bundle's logger; no option turns it off). Parley's CSP (connect-src 'self') already blocks
// it where Parley serves the page; this makes sure of it anywhere (a dev server, another embedder):
// nothing this worker fetches may leave the server it came from.
const ownFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input), scope.location.href);
  if (url.origin !== new URL(scope.location.href).origin) {
    return Promise.reject(new TypeError(`Parley's segmenter fetches nothing from elsewhere (${url.origin})`));
  }
  return ownFetch(input, init);
};
let segmenter: ImageSegmenter | null = null;
let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
let lastTime = -1;

scope.onmessage = (event) => {
  const port = event.data.port;
  const post = (message: FromSegmenter, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = (e: MessageEvent<ToSegmenter>) => {
    const message = e.data;
    if (message.type === 'stop') {
      segmenter?.close();
      port.close();
      scope.close();
      return;
    }
    try {
      const { alpha, width, height, ms } = segment(message.image, message.time);
      post({ type: 'mask', alpha, width, height, ms }, [alpha.buffer]);
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      message.image.close();
    }
  };
  load().then(
    () => post({ type: 'ready' }),
    (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};

function absolute(url: string): string {
  return new URL(url, scope.location.href).href;
}

async function load(): Promise<void> {
  segmenter = await ImageSegmenter.createFromOptions(
    { wasmLoaderPath: absolute(wasmLoader), wasmBinaryPath: absolute(wasmBinary) },
    {
      baseOptions: { modelAssetPath: absolute(modelUrl), delegate: 'CPU' },
      runningMode: 'VIDEO',
      outputConfidenceMasks: true,
      outputCategoryMask: false,
    },
  );
}

/** The mask of `image` as RGBA pixels (only alpha matters) and what it cost. */
function segment(image: ImageBitmap, time: number): { alpha: Uint8ClampedArray; width: number; height: number; ms: number } {
  if (!segmenter) throw new Error('the segmenter is not loaded');
  const start = performance.now();
  if (!canvas || canvas.width !== image.width || canvas.height !== image.height) {
    canvas = new OffscreenCanvas(image.width, image.height);
    context = canvas.getContext('2d');
  }
  context!.drawImage(image, 0, 0);
  // VIDEO mode wants increasing timestamps.
  lastTime = Math.max(time, lastTime + 1);
  const result = segmenter.segmentForVideo(canvas, lastTime);
  try {
    const mask = result.confidenceMasks?.[0];
    if (!mask) throw new Error('the segmenter gave no mask');
    const alpha = new Uint8ClampedArray(mask.width * mask.height * 4);
    maskToAlpha(mask.getAsFloat32Array(), alpha);
    return { alpha, width: mask.width, height: mask.height, ms: performance.now() - start };
  } finally {
    result.close();
  }
}
