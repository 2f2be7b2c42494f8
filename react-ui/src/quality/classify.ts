/**
 * Connection quality classifier: maps one interval's metrics (from getStats deltas) to
 * good / fair / poor with the worst metric as the reason. Pure: no DOM, no WebRTC.
 */

export type Level = 'good' | 'fair' | 'poor';
export type Metric = 'loss' | 'rtt' | 'jitter' | 'fps';

export interface Metrics {
  /** Round-trip time in seconds, if known. */
  rttS?: number;
  /** Fraction (0..1) of packets lost over the last interval. */
  lossFraction?: number;
  /** Jitter in seconds. */
  jitterS?: number;
  /** Received (or sent) frames per second, and the rate expected. */
  fps?: number;
  expectedFps?: number;
}

export interface Verdict {
  level: Level;
  /** The metric that decided the level; undefined when everything is good. */
  metric?: Metric;
  value?: number;
}

// Thresholds, [good below, fair below]; at or above the second is poor. Why these:
// - loss: Opus and VP8 conceal ~1-2% loss unnoticed; above ~8% video freezes and speech
//   breaks up audibly (ITU-T G.1050/G.114 style guidance, WebRTC stats practice).
// - RTT: ITU-T G.114 puts one-way delay under 150 ms as good for conversation; 250 ms RTT keeps
//   turn-taking natural, above 500 ms RTT people talk over each other.
// - jitter: under 30 ms the jitter buffer hides it; above 100 ms it adds audible delay/drops.
// - fps: relative to the expected rate; below 2/3 motion looks jerky, below 1/3 it is a slideshow.
export const THRESHOLDS = {
  loss: [0.02, 0.08],
  rtt: [0.25, 0.5],
  jitter: [0.03, 0.1],
  fpsRatio: [2 / 3, 1 / 3],
} as const;

const RANK: Record<Level, number> = { good: 0, fair: 1, poor: 2 };

function higherIsWorse(value: number, [good, fair]: readonly [number, number]): Level {
  if (value < good) return 'good';
  return value < fair ? 'fair' : 'poor';
}

/** Classify one interval's metrics; the reason is the worst metric (loss first on ties). */
export function classify(m: Metrics): Verdict {
  const candidates: Array<{ metric: Metric; level: Level; value: number }> = [];
  if (m.lossFraction !== undefined && Number.isFinite(m.lossFraction)) {
    candidates.push({ metric: 'loss', level: higherIsWorse(m.lossFraction, THRESHOLDS.loss), value: m.lossFraction });
  }
  if (m.rttS !== undefined && Number.isFinite(m.rttS)) {
    candidates.push({ metric: 'rtt', level: higherIsWorse(m.rttS, THRESHOLDS.rtt), value: m.rttS });
  }
  if (m.jitterS !== undefined && Number.isFinite(m.jitterS)) {
    candidates.push({ metric: 'jitter', level: higherIsWorse(m.jitterS, THRESHOLDS.jitter), value: m.jitterS });
  }
  if (m.fps !== undefined && m.expectedFps && m.expectedFps > 0) {
    const ratio = m.fps / m.expectedFps;
    const [good, fair] = THRESHOLDS.fpsRatio;
    const level: Level = ratio >= good ? 'good' : ratio >= fair ? 'fair' : 'poor';
    candidates.push({ metric: 'fps', level, value: m.fps });
  }
  let worst: Verdict = { level: 'good' };
  for (const c of candidates) {
    if (c.level !== 'good' && RANK[c.level] > RANK[worst.level]) worst = c;
  }
  return worst;
}
