/** The messages between the page and the recording's compositor worker (compositorWorker.ts). */
import type { PaintScene } from './paint';

/** Page → worker. */
export type ToWorker =
  | { type: 'start'; canvas: OffscreenCanvas; fps: number }
  | { type: 'source'; id: string; frames: ReadableStream<VideoFrame> }
  | { type: 'drop'; id: string }
  | { type: 'scene'; scene: PaintScene }
  | { type: 'stop' };

/** Worker → page: how many frames it drew so far, and the milliseconds they took. */
export type FromWorker = { type: 'stats'; framesDrawn: number; drawMs: number };
