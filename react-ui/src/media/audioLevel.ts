/**
 * The level (0..1) of a microphone, via the Web Audio API, for the pre-join meter. No React: the
 * meter writes it straight into its own element, so a level change re-renders nothing.
 */

/** The parts of an `AudioContext` the watcher uses (a test passes its own). */
export interface LevelAudioContext {
  createMediaStreamSource(stream: MediaStream): { connect(node: AnalyserNode): unknown; disconnect(): void };
  createAnalyser(): AnalyserNode;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** How often the level is read, in ms (default 100). */
  everyMs?: number;
  /** Makes the audio context (default `new AudioContext()`; none when the browser has no Web Audio). */
  createContext?: () => LevelAudioContext | null;
  /** Wraps a track in a stream (default `new MediaStream([track])`). */
  createStream?: (track: MediaStreamTrack) => MediaStream;
}

/** RMS of the samples, scaled so that normal speech fills most of the meter, at most 1. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.min(1, Math.sqrt(sum / Math.max(1, samples.length)) * 4);
}

/**
 * Calls `onLevel` with the level of `track` every `everyMs` (only when it changed, to the percent);
 * returns the function that stops watching. With no Web Audio, the level stays 0.
 */
export function watchAudioLevel(
  track: MediaStreamTrack,
  onLevel: (level: number) => void,
  options: WatchOptions = {},
): () => void {
  const createContext =
    options.createContext ?? (() => (globalThis.AudioContext ? new globalThis.AudioContext() : null));
  const context = createContext();
  if (!context) return () => {};
  const stream = (options.createStream ?? ((t) => new MediaStream([t])))(track);
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let shown = -1;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    const level = Math.round(levelOf(samples) * 100) / 100;
    if (level === shown) return;
    shown = level;
    onLevel(level);
  }, options.everyMs ?? 100);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close();
  };
}
