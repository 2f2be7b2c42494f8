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

/** The quietest level the meter shows, in dBFS: room noise sits below it, a quiet voice above. */
export const FLOOR_DB = -50;
/** How fast a shown level falls back, per second: a syllable stays visible for a moment (as a VU
 * meter's needle does) instead of flashing for one reading. */
export const FALL_PER_SECOND = 0.8;

/**
 * The samples' RMS on a decibel scale from {@link FLOOR_DB} (0) to full scale (1). Ears and
 * microphones work in decibels: a linear scale left normal speech (about -30 to -20 dBFS, an RMS of
 * 0.03 to 0.1) at a sliver of the bar; here it fills 40 to 60 %.
 */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  const level = (20 * Math.log10(rms) - FLOOR_DB) / -FLOOR_DB;
  return Math.max(0, Math.min(1, level));
}

/**
 * Calls `onLevel` with the level of `track` every `everyMs` (only when it changed, to the percent):
 * a louder reading shows at once, a quieter one falls back at {@link FALL_PER_SECOND}. Returns the
 * function that stops watching. With no Web Audio, the level stays 0.
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
  // About 90 ms of sound at 44.1/48 kHz: each reading covers (nearly) the time since the last one,
  // so a short sound between two readings is not missed (512 samples, 11 ms, missed most).
  analyser.fftSize = 4096;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const everyMs = options.everyMs ?? 100;
  const fall = (FALL_PER_SECOND * everyMs) / 1000;
  let shown = -1;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    const heard = levelOf(samples);
    const level = Math.round(Math.max(heard, shown - fall) * 100) / 100;
    if (level === shown) return;
    shown = level;
    onLevel(level);
  }, everyMs);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close();
  };
}
