/**
 * Turns two successive getStats() reports of one connection into one interval's receive metrics
 * (loss fraction from packetsLost/packetsReceived deltas, RTT, jitter, resolution, frame rate).
 * Pure: takes anything Map-like with RTCStats-shaped values, so tests use plain Maps.
 */
import type { Metrics } from './classify';

type Stat = Record<string, unknown> & { type: string; id: string };
export type StatsLike = Pick<Map<string, Stat>, 'forEach'>;

export interface ReceiveMetrics extends Metrics {
  width?: number;
  height?: number;
}

interface Totals { lost: number; received: number; }

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function inboundTotals(report: StatsLike): Totals {
  const t = { lost: 0, received: 0 };
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    t.lost += num(s.packetsLost) ?? 0;
    t.received += num(s.packetsReceived) ?? 0;
  });
  return t;
}

/** Metrics for the interval between prev (or none, the first sample) and cur. */
export function receiveMetrics(prev: StatsLike | undefined, cur: StatsLike): ReceiveMetrics {
  const out: ReceiveMetrics = {};
  const now = inboundTotals(cur);
  const before = prev ? inboundTotals(prev) : { lost: 0, received: 0 };
  const lost = Math.max(0, now.lost - before.lost);
  const total = lost + Math.max(0, now.received - before.received);
  // No packets in the interval says nothing about loss; leave it unknown rather than 0%.
  if (total > 0) out.lossFraction = lost / total;
  cur.forEach((s) => {
    if (s.type === 'candidate-pair' && (s.nominated || s.state === 'succeeded')) {
      out.rttS = num(s.currentRoundTripTime) ?? out.rttS;
    } else if (s.type === 'inbound-rtp') {
      const jitter = num(s.jitter);
      if (jitter !== undefined) out.jitterS = Math.max(out.jitterS ?? 0, jitter);
      if (s.kind === 'video') {
        out.width = num(s.frameWidth) ?? out.width;
        out.height = num(s.frameHeight) ?? out.height;
        out.fps = num(s.framesPerSecond) ?? out.fps;
      }
    }
  });
  return out;
}
