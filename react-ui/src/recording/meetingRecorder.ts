/**
 * One recording: the compositor's frames (30 a second) and the mixed sound into `MediaRecorder`
 * (WebM, VP8 or VP9 with Opus), its chunks (one a second) handed to a {@link ChunkWriter} as they
 * come. The frames are drawn in a worker where the browser can (offThreadCompositor.ts), else on
 * the main thread (compositor.ts). Browser I/O; the writer and the scene are given.
 */
import { AudioMixer, Compositor } from './compositor';
import { canComposeOffThread, OffThreadCompositor } from './offThreadCompositor';
import { ChunkWriter, type ChunkSink, type RecordingSaved } from './chunkWriter';
import { RECORDING_HEIGHT, RECORDING_WIDTH } from './layout';
import type { Scene } from './scene';

/** How often the page tells the compositor worker the scene, in ms (a camera turned off shows this late at most). */
const SCENE_MS = 200;

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
  /** Milliseconds the main thread spent on the picture so far (drawing, or telling the worker what to draw). */
  drawMs = 0;
  /** The worker that draws the frames, or null: the main thread draws them ({@link compositor}). */
  readonly offThread: OffThreadCompositor | null;
  private readonly compositor: Compositor | null;
  private mainFrames = 0;
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
    this.mixer = new AudioMixer();
    const fps = options.framesPerSecond ?? 30;
    this.offThread = canComposeOffThread() ? startWorker(fps, options.onError) : null;
    this.compositor = this.offThread ? null : new Compositor(RECORDING_WIDTH, RECORDING_HEIGHT);
    this.tick();
    const video = this.offThread?.track ?? this.compositor!.canvas.captureStream(fps).getVideoTracks()[0];
    this.recorder = new MediaRecorder(new MediaStream([video, this.mixer.track]), {
      mimeType,
      videoBitsPerSecond: options.videoBitsPerSecond ?? 2_500_000,
      audioBitsPerSecond: 128_000,
    });
    // A timer, not requestAnimationFrame: frames go on while the tab is in the background (a call
    // plays sound, and Chromium does not throttle the timers of a page that plays sound). With the
    // worker drawing, the page only keeps the scene and the mix up to date, a few times a second.
    this.timer = setInterval(() => this.tick(), this.offThread ? SCENE_MS : 1000 / fps);
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

  /** Frames drawn so far (by the worker, or on the main thread). */
  get framesDrawn(): number {
    return this.offThread ? this.offThread.framesDrawn : this.mainFrames;
  }

  private tick(): void {
    const began = performance.now();
    if (this.offThread) {
      const scene = this.options.scene();
      this.mixer.sync(scene.audio);
      this.offThread.update(scene);
      this.drawMs += performance.now() - began;
      return;
    }
    // Drawing shares the main thread with the call: when a frame costs more than a third of the
    // time between frames (a slow or busy machine), fewer are drawn, so the call and its buttons
    // stay responsive; the recording then has fewer frames, its sound none the less.
    if (began < this.nextDrawAt) return;
    const scene = this.options.scene();
    this.mixer.sync(scene.audio);
    this.compositor?.draw(scene);
    this.mainFrames += 1;
    const cost = performance.now() - began;
    this.drawMs += cost;
    this.nextDrawAt = began + 3 * cost;
  }

  private release(): void {
    clearInterval(this.timer);
    for (const track of this.recorder.stream.getTracks()) track.stop();
    this.compositor?.close();
    this.offThread?.close();
    this.mixer.close();
  }
}

/** The compositor worker, or null where it cannot start (the main thread draws then). */
function startWorker(fps: number, onError: (error: unknown) => void): OffThreadCompositor | null {
  try {
    return new OffThreadCompositor(RECORDING_WIDTH, RECORDING_HEIGHT, fps, onError);
  } catch (error) {
    console.warn('[parley] recording: drawing on the main thread:', error);
    return null;
  }
}
