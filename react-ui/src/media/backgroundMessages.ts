/** The messages between the page (backgroundProcessor.ts) and the background worker (backgroundWorker.ts). */

/** What is drawn behind the person: a blur of the frame itself, or an image (by URL, the worker loads it). */
export type BackgroundEffectSpec = { kind: 'blur' } | { kind: 'image'; url: string };

/** Page to worker. */
export type ToBackgroundWorker =
  /**
   * Starts processing: frames come from `frames`, processed ones go to `sink`; `segmenter` is a port
   * to the segmenter worker (segmenterWorker.ts), whose model loads first.
   */
  | { type: 'start'; frames: ReadableStream<VideoFrame>; sink: WritableStream<VideoFrame>; segmenter: MessagePort; effect: BackgroundEffectSpec }
  /** Draws another background from the next frame on. */
  | { type: 'effect'; effect: BackgroundEffectSpec }
  /** Stops: the streams are closed and the worker ends. */
  | { type: 'stop' };

/** Worker to page. */
export type FromBackgroundWorker =
  /** The first frame drawn with a real mask was written: the page may send the processed track. */
  | { type: 'ready' }
  /** It cannot run (no WebGL, the model did not load, a frame failed): the page sends the raw camera. */
  | { type: 'error'; message: string }
  /** Counts so far, every second: frames written, frames segmented, mean milliseconds of one segmentation. */
  | { type: 'stats'; frames: number; segmented: number; segmentMs: number };

/** Compositor to segmenter (over the MessagePort the page gave both). */
export type ToSegmenter =
  /** Finds the person in `image` (a small copy of a camera frame, transferred). */
  | { type: 'segment'; image: ImageBitmap; time: number }
  | { type: 'stop' };

/** Segmenter to compositor. */
export type FromSegmenter =
  /** The model is loaded: frames may come. */
  | { type: 'ready' }
  /** The mask of the last image, RGBA with the person opaque, and the milliseconds it took. */
  | { type: 'mask'; alpha: Uint8ClampedArray; width: number; height: number; ms: number }
  /** It cannot run (no WebGL, the model did not load). */
  | { type: 'error'; message: string };
