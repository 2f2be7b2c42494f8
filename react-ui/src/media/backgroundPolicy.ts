/**
 * The pure decisions of background processing (backgroundWorker.ts runs them): when a frame gets
 * a new segmentation and when it reuses the last mask, and where an image is drawn to cover the frame.
 * No canvas, no worker here, so that vitest checks them in Node.
 */

/** Settings of a {@link SegmentPacer}. */
export interface PacerOptions {
  /**
   * The largest share of the wall-clock time segmentation may take (0..1): past it, frames reuse
   * the last mask, so the camera keeps its frame rate on a slow machine and the CPU stays bounded.
   */
  maxShare: number;
  /** Segment at most this often, in milliseconds (a person moves little in one frame of 15 per second). */
  minIntervalMs: number;
}

/** Default pacing: segmentation at most 40% of the worker's time, at most 15 times a second. */
export const DEFAULT_PACER: PacerOptions = { maxShare: 0.4, minIntervalMs: 1000 / 15 - 5 };

/**
 * Decides, frame by frame, whether to run the segmenter or to reuse the last mask. Segmentation
 * that fell behind is skipped, never queued: the frame is composed at once with the mask it has.
 */
export class SegmentPacer {
  private readonly options: PacerOptions;
  private lastStart = -Infinity;
  /** The running mean of one segmentation's cost, in milliseconds (0 until one was measured). */
  private cost = 0;
  private measured = false;

  constructor(options: PacerOptions = DEFAULT_PACER) {
    this.options = options;
  }

  /** Whether the frame arriving at `now` (ms) should be segmented; `hasMask` says whether any mask exists yet. */
  shouldSegment(now: number, hasMask: boolean): boolean {
    if (!hasMask) return true;
    const elapsed = now - this.lastStart;
    if (elapsed < this.options.minIntervalMs) return false;
    // Each segmentation costs `cost`; one per `cost / maxShare` keeps it within its share.
    return elapsed >= this.cost / this.options.maxShare;
  }

  /** Records a segmentation that started at `start` and took `durationMs`. */
  segmented(start: number, durationMs: number): void {
    this.lastStart = start;
    this.cost = this.measured ? this.cost * 0.8 + durationMs * 0.2 : durationMs;
    this.measured = true;
  }

  /** The mean segmentation cost so far, in milliseconds. */
  get meanCostMs(): number {
    return this.cost;
  }
}

/** A rectangle to draw into, in pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where an image `imageWidth` x `imageHeight` is drawn so that it covers a frame `width` x
 * `height` without distortion (centred; the overflow is cut off), as CSS `object-fit: cover`.
 */
export function coverRect(imageWidth: number, imageHeight: number, width: number, height: number): Rect {
  const scale = Math.max(width / imageWidth, height / imageHeight);
  const w = imageWidth * scale;
  const h = imageHeight * scale;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

/**
 * The size the segmenter is fed for a frame `width` x `height`: the frame scaled down to at most
 * `maxWidth` wide (the landscape model's input is 256x144), keeping its shape. Smaller input, smaller
 * mask to convert; the mask is scaled back up with smoothing, which also softens its edge.
 */
export function segmentationSize(width: number, height: number, maxWidth = 256): { width: number; height: number } {
  if (width <= maxWidth) return { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) };
  return { width: maxWidth, height: Math.max(1, Math.round((height * maxWidth) / width)) };
}

/**
 * Writes a confidence mask (0..1 per pixel, person = 1) into the alpha channel of RGBA `pixels`
 * (same pixel count): the person is opaque, the background transparent, in between for the edge.
 */
export function maskToAlpha(confidence: ArrayLike<number>, pixels: Uint8ClampedArray): void {
  const n = Math.min(confidence.length, pixels.length >> 2);
  for (let i = 0; i < n; i++) {
    const a = confidence[i] * 255;
    pixels[i * 4 + 3] = a; // Uint8ClampedArray clamps and rounds
  }
}

/**
 * The size of the frames sent with a background effect, for a camera frame `width` x `height`: at
 * most `maxWidth` (640) wide, keeping its shape. Drawing a frame costs in proportion to its pixels
 * (a 720p frame four times a 360p one), and the effect's budget is set for 640x360 at 15 frames/s
 * (issue 15): a camera the call raised to 720p is sent at 360p while an effect is on.
 */
export function outputSize(width: number, height: number, maxWidth = 640): { width: number; height: number } {
  return segmentationSize(width, height, maxWidth);
}
