/**
 * RNNoise on a microphone, in the browser: an `AudioContext` at 48 kHz (RNNoise's rate) with the
 * RNNoise `AudioWorklet` of `@sapphi-red/web-noise-suppressor` between the microphone's
 * `MediaStreamAudioSourceNode` and a `MediaStreamAudioDestinationNode`, whose track is what the call
 * sends. The worklet script and the WebAssembly files are bundled by Vite (`?url`) and served by
 * Parley itself: nothing comes from a CDN, so it works in a LAN meeting without internet.
 * No React; the choices around it (when to use it, what to send) are in noiseSuppression.ts, which
 * imports this module only when it is needed (the library's node class extends `AudioWorkletNode`,
 * which only browsers have).
 */
import { loadRnnoise, RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor';
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import simdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';

/** The parts of a running suppressor the call uses (a test passes its own). */
export interface Suppressor {
  /** The processed track (the same one for the suppressor's whole life). */
  readonly output: MediaStreamTrack;
  /** Whether the audio graph runs (a suspended context sends silence). */
  readonly running: boolean;
  /** Feeds `track` (a microphone) into the worklet instead of the one fed before. */
  feed(track: MediaStreamTrack): void;
  /** Runs `listener` when `running` changes. */
  onRunningChange(listener: () => void): void;
  /** Stops the output track and closes the audio context. */
  close(): void;
  /** What the audio graph is (the test build's handle shows it). */
  readonly graph?: SuppressorGraph;
}

/** The audio graph of a running {@link Suppressor}, as the test build's handle describes it. */
export interface SuppressorGraph {
  /** The worklet's processor name. */
  processor: string;
  /** What the processed track comes out of. */
  destination: string;
  /** The id of the microphone track fed in now. */
  inputTrackId: string | null;
}

/** A {@link Suppressor} on a real `AudioContext`. */
class WorkletSuppressor implements Suppressor {
  readonly output: MediaStreamTrack;
  private readonly context: AudioContext;
  private readonly node: RnnoiseWorkletNode;
  private readonly destination: MediaStreamAudioDestinationNode;
  private source: MediaStreamAudioSourceNode | null = null;
  private input: MediaStreamTrack | null = null;
  private readonly unlock = () => void this.context.resume().catch(() => {});

  constructor(context: AudioContext, node: RnnoiseWorkletNode) {
    this.context = context;
    this.node = node;
    // Mono: RNNoise works on one channel, and the call sends one.
    // The microphone's source node may be stereo; RNNoise (maxChannels 1) processes the first
    // channel only and leaves the second silent, which a mono mix then halves (-6 dB, measured by
    // benchmarks/noise_suppression.py): the worklet is fed one channel, mixed down before it.
    node.channelCount = 1;
    node.channelCountMode = 'explicit';
    node.channelInterpretation = 'speakers';
    this.destination = new MediaStreamAudioDestinationNode(context, { channelCount: 1 });
    node.connect(this.destination);
    this.output = this.destination.stream.getAudioTracks()[0];
    // A context made without a click on the page (a rejoin after a reload) may start suspended:
    // the next click or key lets it run (until then the call sends the raw microphone).
    for (const type of ['pointerdown', 'keydown'] as const) globalThis.addEventListener?.(type, this.unlock, { capture: true });
  }

  get running(): boolean {
    return this.context.state === 'running';
  }

  /** What the audio graph is, for the test build's handle. */
  get graph(): SuppressorGraph {
    return { processor: 'RnnoiseWorkletNode', destination: 'MediaStreamAudioDestinationNode', inputTrackId: this.input?.id ?? null };
  }

  feed(track: MediaStreamTrack): void {
    if (track === this.input) return;
    this.source?.disconnect();
    this.input = track;
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.source.connect(this.node);
  }

  onRunningChange(listener: () => void): void {
    this.context.addEventListener('statechange', listener);
  }

  close(): void {
    for (const type of ['pointerdown', 'keydown'] as const) globalThis.removeEventListener?.(type, this.unlock, { capture: true });
    this.source?.disconnect();
    this.node.disconnect();
    this.node.destroy();
    this.output.stop();
    void this.context.close().catch(() => {});
  }
}

/**
 * Starts RNNoise: loads the worklet and the WebAssembly (SIMD where the browser has it) from
 * Parley's own assets. Rejects when the browser cannot run it (no AudioWorklet, WebAssembly
 * refused, a file missing); the context is closed then.
 */
export async function startRnnoise(): Promise<Suppressor> {
  const context = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
  try {
    const [wasmBinary] = await Promise.all([loadRnnoise({ url: wasmUrl, simdUrl: simdWasmUrl }), context.audioWorklet.addModule(workletUrl)]);
    // The worklet compiles the WebAssembly itself: a refusal there (a Content-Security-Policy
    // without 'wasm-unsafe-eval') would only show as silence, so it is checked here first.
    await WebAssembly.compile(wasmBinary);
    const node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary });
    const suppressor = new WorkletSuppressor(context, node);
    if (context.state !== 'running') void context.resume().catch(() => {});
    return suppressor;
  } catch (error) {
    void context.close().catch(() => {});
    throw error;
  }
}
