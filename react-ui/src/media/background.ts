/**
 * Background blur and replacement of one camera (issue 15), from the call's (or the pre-join
 * page's) start to its end: the person's choice, whether processing runs, and what is sent — the
 * processed track in place of the camera's while the worker runs, else the raw camera. Like
 * noiseSuppression.ts for the microphone: the caller sends {@link BackgroundEffect.sendable} again
 * whenever `onChange` fires, and the peer links swap the track with `replaceTrack`.
 */
import { backgroundSupported, startProcessor, type Processor, type ProcessorEvents } from './backgroundProcessor';
import { BACKGROUND_IMAGE_URLS } from './backgroundImages';
import type { BackgroundEffectSpec } from './backgroundMessages';
import { backgroundWanted, type BackgroundChoice } from './backgroundPreference';

/**
 * What the pickers show: `off`, `starting` (the model loads; the raw camera is sent meanwhile),
 * `on` (the processed track is sent), `unavailable` (this browser or machine cannot: the raw
 * camera is sent, and a message says so).
 */
export type BackgroundStatus = 'off' | 'starting' | 'on' | 'unavailable';

/** The worker's drawing for `choice` (not 'off'). */
export function effectOf(choice: Exclude<BackgroundChoice, 'off'>): BackgroundEffectSpec {
  return choice === 'blur' ? { kind: 'blur' } : { kind: 'image', url: BACKGROUND_IMAGE_URLS[choice] };
}

/** Settings of a {@link BackgroundEffect}. */
export interface BackgroundEffectOptions {
  /** The choice to start with (default: the remembered one). */
  choice?: BackgroundChoice;
  /** Starts a processor (default: the worker of backgroundProcessor.ts; tests pass a fake). */
  start?: (source: MediaStreamTrack, effect: BackgroundEffectSpec, events: ProcessorEvents) => Processor;
  /** Whether the browser can run it (default {@link backgroundSupported}). */
  supported?: () => boolean;
  /** What is sent, or the status, changed: the caller sends {@link BackgroundEffect.sendable} again. */
  onChange: () => void;
}

/** The background of one camera: its choice, its processor, and the stream to send. */
export class BackgroundEffect {
  private readonly options: BackgroundEffectOptions;
  private wanted: BackgroundChoice;
  private processor: Processor | null = null;
  private failed: string | null = null;
  private closed = false;
  /** The last stream made by {@link sendable}, and what it was made from (the same answer, the same stream). */
  private made: { from: MediaStream; sent: MediaStream } | null = null;

  constructor(options: BackgroundEffectOptions) {
    this.options = options;
    this.wanted = options.choice ?? backgroundWanted();
  }

  /** The person's choice. */
  get choice(): BackgroundChoice {
    return this.wanted;
  }

  /** What the pickers show now. */
  get status(): BackgroundStatus {
    if (this.wanted === 'off') return 'off';
    if (this.failed !== null) return 'unavailable';
    return this.processor?.running ? 'on' : 'starting';
  }

  /** Why it is unavailable (for the console and tests), or null. */
  get failure(): string | null {
    return this.failed;
  }

  /** The running processor, if any (the test build's handle reads its counts). */
  get current(): Processor | null {
    return this.processor;
  }

  /** Switches to `choice` (the caller remembers it): a new image is drawn without restarting. */
  setChoice(choice: BackgroundChoice): void {
    if (this.closed || choice === this.wanted) return;
    this.wanted = choice;
    if (choice === 'off') this.stop();
    else this.processor?.setEffect(effectOf(choice));
    this.options.onChange();
  }

  /**
   * The stream to send for `stream` (the camera and microphone): the processed video with the same
   * audio while the processor runs, else `stream` itself. Starts (or restarts, for a new camera) the
   * processor as needed. The same answer for the same stream is the same object.
   */
  sendable(stream: MediaStream | null, createStream: () => MediaStream = () => new MediaStream()): MediaStream | null {
    const camera = stream?.getVideoTracks()[0];
    if (!stream || !camera || this.wanted === 'off' || this.closed || this.failed !== null) {
      if (!camera) this.stop();
      return stream;
    }
    if (this.processor && this.processor.source !== camera) this.stop(); // another camera: start again
    if (!this.processor) this.start(camera, this.wanted);
    const processor = this.processor;
    if (!processor?.running) return stream;
    processor.output.enabled = camera.enabled;
    if (this.made?.from === stream && this.made.sent.getVideoTracks()[0] === processor.output) return this.made.sent;
    const sent = createStream();
    sent.addTrack(processor.output);
    for (const track of stream.getAudioTracks()) sent.addTrack(track);
    this.made = { from: stream, sent };
    return sent;
  }

  /** Ends it all (the call or the pre-join page ended). */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private start(camera: MediaStreamTrack, choice: Exclude<BackgroundChoice, 'off'>): void {
    if (!(this.options.supported ?? backgroundSupported)()) {
      this.fail(null);
      return;
    }
    try {
      this.processor = (this.options.start ?? startProcessor)(camera, effectOf(choice), {
        onRunning: () => this.options.onChange(),
        onError: (error) => {
          this.processor = null;
          this.made = null;
          this.fail(error);
          this.options.onChange();
        },
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    // A browser without the breakout box is no error worth a warning; a failed model or worker is.
    if (error !== null) console.warn('[parley] background effects unavailable, sending the camera as it is:', error);
    this.failed = error === null ? 'unsupported' : error instanceof Error ? error.message : String(error);
  }

  private stop(): void {
    this.processor?.close();
    this.processor = null;
    this.made = null;
  }
}
