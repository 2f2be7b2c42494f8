/**
 * Noise suppression of one call's microphone: whether RNNoise runs (the person's switch, and
 * whether the browser can), what the call sends (the processed track in place of the microphone's
 * while RNNoise runs, else the raw microphone), and which `noiseSuppression` constraint the
 * microphone is opened with (the browser's own only while RNNoise does not run, so that the two do
 * not fight). No React, no Web Audio here (noiseSuppressor.ts has the audio graph, loaded on first use).
 */
import type { Suppressor } from './noiseSuppressor';
import { noiseSuppressionWanted } from './noiseSuppressionPreference';

/**
 * What the Devices panel shows: `off` (switched off), `starting` (loading, or waiting for the
 * page's audio to be allowed), `on` (the call sends the processed track), `unavailable` (this
 * browser cannot run it: the raw microphone is sent, with the browser's own suppression).
 */
export type NoiseSuppressionStatus = 'off' | 'starting' | 'on' | 'unavailable';

/** Whether this browser can run the RNNoise worklet at all (checked before anything is loaded). */
export function rnnoiseSupported(): boolean {
  return (
    typeof globalThis.AudioContext === 'function' &&
    typeof globalThis.AudioWorkletNode === 'function' &&
    typeof globalThis.WebAssembly === 'object' &&
    globalThis.isSecureContext !== false
  );
}

/** Set once RNNoise failed to start in this page: the microphone keeps the browser's suppression. */
let failedInThisPage = false;

/**
 * Whether a microphone opened now should use the browser's own noise suppression: only when
 * RNNoise will not run (switched off, or this browser cannot run it).
 */
export function browserNoiseSuppression(): boolean {
  return !(noiseSuppressionWanted() && rnnoiseSupported() && !failedInThisPage);
}

/** Settings of a {@link NoiseSuppression}. */
export interface NoiseSuppressionOptions {
  /** Starts RNNoise (default: the worklet of noiseSuppressor.ts; tests pass a fake). */
  start?: () => Promise<Suppressor>;
  /** Whether the browser can run it (default {@link rnnoiseSupported}). */
  supported?: () => boolean;
  /** What is sent, or the status, changed: the call sends {@link NoiseSuppression.sendable} again. */
  onChange: () => void;
  /**
   * Wait for {@link NoiseSuppression.begin} before starting RNNoise (the call starts it once its
   * connections are up, call/afterConnect.ts); default: start at once.
   */
  deferred?: boolean;
}

/** Noise suppression of one call's microphone, from the call's start to its end. */
export class NoiseSuppression {
  private readonly options: NoiseSuppressionOptions;
  private wanted = noiseSuppressionWanted();
  private suppressor: Suppressor | null = null;
  private starting = false;
  private failed = false;
  private closed = false;
  /** Whether RNNoise may start (see {@link NoiseSuppressionOptions.deferred}). */
  private begun: boolean;
  /** The last stream made by {@link sendable}, and what it was made from (the same answer, the same stream). */
  private made: { from: MediaStream; sent: MediaStream } | null = null;

  constructor(options: NoiseSuppressionOptions) {
    this.options = options;
    this.begun = !options.deferred;
    if (this.wanted) this.start();
  }

  /** RNNoise may start now, if it is wanted (a deferred one waited for this). */
  begin(): void {
    if (this.begun || this.closed) return;
    this.begun = true;
    if (this.wanted) this.start();
  }

  /** What the Devices panel shows now. */
  get status(): NoiseSuppressionStatus {
    if (!this.wanted) return 'off';
    if (this.failed) return 'unavailable';
    return this.suppressor?.running ? 'on' : 'starting';
  }

  /** Whether the switch is on. */
  get on(): boolean {
    return this.wanted;
  }

  /** The running suppressor, if any (the test build's handle reads its graph). */
  get current(): Suppressor | null {
    return this.suppressor;
  }

  /** Switches RNNoise on or off (the caller remembers the choice and reopens the microphone). */
  setWanted(on: boolean): void {
    if (this.closed || on === this.wanted) return;
    this.wanted = on;
    if (on) this.start();
    else this.stop();
    this.options.onChange();
  }

  /**
   * The stream to send for `stream` (the call's camera and microphone): the same video tracks with
   * the processed microphone while RNNoise runs, else `stream` itself. The same answer for the same
   * stream is the same object (so peer links see no change).
   */
  sendable(stream: MediaStream | null, createStream: () => MediaStream = () => new MediaStream()): MediaStream | null {
    const microphone = stream?.getAudioTracks()[0];
    const suppressor = this.suppressor;
    if (!stream || !microphone || !suppressor || !this.wanted || !suppressor.running) return stream;
    suppressor.feed(microphone);
    suppressor.output.enabled = microphone.enabled;
    if (this.made?.from === stream && this.made.sent.getAudioTracks()[0] === suppressor.output) return this.made.sent;
    // One stream for both kinds: receivers take a peer's camera stream, with its sound, by stream id.
    const sent = createStream();
    for (const track of stream.getVideoTracks()) sent.addTrack(track);
    sent.addTrack(suppressor.output);
    this.made = { from: stream, sent };
    return sent;
  }

  /**
   * Whether `microphone` was opened with the wrong `noiseSuppression` for now (the browser's own
   * must be off while RNNoise runs and on otherwise): the caller reopens it then. Tracks that do
   * not say are left alone.
   */
  needsReopen(microphone: MediaStreamTrack | undefined): boolean {
    const setting = microphone?.getSettings?.().noiseSuppression;
    return typeof setting === 'boolean' && setting !== this.browserSuppression();
  }

  /** Ends it all: the audio context is closed (the call ended). */
  close(): void {
    this.closed = true;
    this.stop();
  }

  /** The browser's own suppression for this call now (as {@link browserNoiseSuppression}, for this call's state). */
  private browserSuppression(): boolean {
    return !(this.wanted && (this.options.supported ?? rnnoiseSupported)() && !this.failed);
  }

  private start(): void {
    if (!this.begun || this.suppressor || this.starting || this.failed) return;
    if (!(this.options.supported ?? rnnoiseSupported)()) {
      this.fail(null);
      return;
    }
    this.starting = true;
    const start = this.options.start ?? (() => import('./noiseSuppressor').then((m) => m.startRnnoise()));
    start().then(
      (suppressor) => {
        this.starting = false;
        if (this.closed || !this.wanted) {
          suppressor.close();
          return;
        }
        this.suppressor = suppressor;
        suppressor.onRunningChange(() => this.options.onChange());
        this.options.onChange();
      },
      (error: unknown) => {
        this.starting = false;
        if (this.closed) return;
        this.fail(error);
        this.options.onChange();
      },
    );
  }

  private fail(error: unknown): void {
    // A browser without AudioWorklet is no error worth a warning; a failed load is.
    if (error !== null) console.warn('[parley] noise suppression unavailable, sending the microphone as it is:', error);
    this.failed = true;
    failedInThisPage = true;
  }

  private stop(): void {
    this.suppressor?.close();
    this.suppressor = null;
    this.made = null;
  }
}
