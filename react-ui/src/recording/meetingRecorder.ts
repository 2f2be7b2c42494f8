/**
 * One recording: the compositor's canvas (30 frames/s) and the mixed sound into `MediaRecorder`
 * (WebM, VP8 or VP9 with Opus), its chunks (one a second) handed to a {@link ChunkWriter} as they
 * come. Browser I/O; the writer and the scene are given.
 */
import { AudioMixer, Compositor } from './compositor';
import { ChunkWriter, type ChunkSink, type RecordingSaved } from './chunkWriter';
import { RECORDING_HEIGHT, RECORDING_WIDTH } from './layout';
import type { Scene } from './scene';

/** The types asked for, best first: VP8 costs the least CPU of the two, Opus is WebM's sound. */
export const MIME_TYPES = [
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm',
] as const;

/** The first of {@link MIME_TYPES} the browser records, or null. */
export function pickMimeType(isTypeSupported: (type: string) => boolean): string | null {
  return MIME_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** Whether this browser can record a meeting at all. */
export function canRecord(): boolean {
  return typeof MediaRecorder !== 'undefined' && typeof AudioContext !== 'undefined'
    && typeof HTMLCanvasElement.prototype.captureStream === 'function'
    && pickMimeType((type) => MediaRecorder.isTypeSupported(type)) !== null;
}

/** Settings of a {@link MeetingRecorder}. */
export interface MeetingRecorderOptions {
  scene: () => Scene;
  sink: ChunkSink;
  /** A write failed or the recorder stopped by itself: the recording cannot go on. */
  onError: (error: unknown) => void;
  framesPerSecond?: number;
  timesliceMs?: number;
  videoBitsPerSecond?: number;
}

/** Records from {@link start} until {@link stop}. */
export class MeetingRecorder {
  readonly writer: ChunkWriter;
  /** `performance.now()` when the recorder started, null before. */
  startedAt: number | null = null;
  /** Frames drawn into the canvas so far. */
  framesDrawn = 0;
  /** Milliseconds spent drawing frames so far (the main thread's share of the recording). */
  drawMs = 0;
  private readonly compositor: Compositor;
  private readonly mixer: AudioMixer;
  private readonly recorder: MediaRecorder;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly stopped: Promise<void>;
  private stopping = false;
  /** No frame is drawn before this time (see tick). */
  private nextDrawAt = 0;

  constructor(private readonly options: MeetingRecorderOptions) {
    const mimeType = pickMimeType((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) throw new Error('this browser cannot record WebM');
    this.writer = new ChunkWriter(options.sink, options.onError);
    this.compositor = new Compositor(RECORDING_WIDTH, RECORDING_HEIGHT);
    this.mixer = new AudioMixer();
    const fps = options.framesPerSecond ?? 30;
    this.tick();
    const video = this.compositor.canvas.captureStream(fps).getVideoTracks()[0];
    this.recorder = new MediaRecorder(new MediaStream([video, this.mixer.track]), {
      mimeType,
      videoBitsPerSecond: options.videoBitsPerSecond ?? 2_500_000,
      audioBitsPerSecond: 128_000,
    });
    // A timer, not requestAnimationFrame: frames go on while the tab is in the background (a call
    // plays sound, and Chromium does not throttle the timers of a page that plays sound).
    this.timer = setInterval(() => this.tick(), 1000 / fps);
    this.recorder.ondataavailable = (event) => this.writer.write(event.data);
    this.stopped = new Promise((resolve) => {
      this.recorder.onstop = () => resolve();
    });
    this.recorder.onstart = () => {
      this.startedAt = performance.now();
    };
    this.recorder.onerror = (event) => {
      if (!this.stopping) options.onError((event as ErrorEvent).error ?? new Error('the recorder failed'));
    };
  }

  /** Starts recording (chunks every `timesliceMs`, one second by default). */
  start(): void {
    this.recorder.start(this.options.timesliceMs ?? 1000);
  }

  /** Milliseconds recorded so far. */
  elapsedMs(now = performance.now()): number {
    return this.startedAt === null ? 0 : now - this.startedAt;
  }

  /** Stops, waits for the last chunk to be written, closes the file; where it went. */
  async stop(): Promise<RecordingSaved> {
    this.stopping = true;
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    await this.stopped;
    this.release();
    return this.writer.finish();
  }

  /** Stops and throws the recording away. */
  async abort(): Promise<void> {
    this.stopping = true;
    this.recorder.ondataavailable = null; // the last chunk is not wanted
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    this.release();
    await this.writer.abort();
  }

  private tick(): void {
    const began = performance.now();
    // Drawing shares the main thread with the call: when a frame costs more than a third of the
    // time between frames (a slow or busy machine), fewer are drawn, so the call and its buttons
    // stay responsive; the recording then has fewer frames, its sound none the less.
    if (began < this.nextDrawAt) return;
    const scene = this.options.scene();
    this.mixer.sync(scene.audio);
    this.compositor.draw(scene);
    this.framesDrawn += 1;
    const cost = performance.now() - began;
    this.drawMs += cost;
    this.nextDrawAt = began + 3 * cost;
  }

  private release(): void {
    clearInterval(this.timer);
    for (const track of this.recorder.stream.getTracks()) track.stop();
    this.compositor.close();
    this.mixer.close();
  }
}
