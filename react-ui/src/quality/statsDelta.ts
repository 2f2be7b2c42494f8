/**
 * Turns two successive getStats() reports of one connection into one interval's metrics: what we
 * receive (loss from packetsLost/packetsReceived deltas, RTT, jitter, resolution, frame rate) and
 * what we send (the loss and jitter the other side reports back in `remote-inbound-rtp`).
 * Pure: takes anything Map-like with RTCStats-shaped values, so tests use plain Maps.
 */
import type { Metrics } from './classify';

export type Stat = Record<string, unknown> & { type: string; id: string };
export type StatsLike = Pick<Map<string, Stat>, 'forEach'> & { get?: (id: string) => Stat | undefined };

export interface ReceiveMetrics extends Metrics {
  width?: number;
  height?: number;
}

interface Totals { lost: number; received: number; }

/** A finite number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The stats of `report` as an array (Map-likes only promise forEach). */
export function statsOf(report: StatsLike): Stat[] {
  const out: Stat[] = [];
  report.forEach((s) => out.push(s));
  return out;
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

/**
 * The candidate pair in use: the one the transport names (`selectedCandidatePairId`), else a
 * nominated succeeded one (a connection may have several succeeded pairs; only one carries media).
 */
export function selectedPair(stats: readonly Stat[]): Stat | undefined {
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const s of stats) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = byId.get(s.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  return stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded')
    ?? stats.find((s) => s.type === 'candidate-pair' && s.nominated);
}

/**
 * The camera's RTP stream of `type` among `stats`: every link has a second video m-line for the
 * screen (rtc/screenTransceivers.ts), after the camera's, so the camera's is the video stream with
 * the lowest mid (streams without a mid come last).
 */
export function cameraStream(stats: readonly Stat[], type: 'inbound-rtp' | 'outbound-rtp'): Stat | undefined {
  const mid = (s: Stat) => num(Number(s.mid)) ?? Number.MAX_SAFE_INTEGER;
  return stats
    .filter((s) => s.type === type && s.kind === 'video')
    .sort((a, b) => mid(a) - mid(b))[0];
}

/** Receive metrics for the interval between prev (or none, the first sample) and cur. */
export function receiveMetrics(prev: StatsLike | undefined, cur: StatsLike): ReceiveMetrics {
  const out: ReceiveMetrics = {};
  const now = inboundTotals(cur);
  const before = prev ? inboundTotals(prev) : { lost: 0, received: 0 };
  const lost = Math.max(0, now.lost - before.lost);
  const total = lost + Math.max(0, now.received - before.received);
  // No packets in the interval says nothing about loss; leave it unknown rather than 0%.
  if (total > 0) out.lossFraction = lost / total;
  const stats = statsOf(cur);
  const rtt = num(selectedPair(stats)?.currentRoundTripTime);
  if (rtt !== undefined) out.rttS = rtt;
  for (const s of stats) {
    const jitter = s.type === 'inbound-rtp' ? num(s.jitter) : undefined;
    if (jitter !== undefined) out.jitterS = Math.max(out.jitterS ?? 0, jitter);
  }
  const camera = cameraStream(stats, 'inbound-rtp');
  if (camera) {
    const width = num(camera.frameWidth);
    const height = num(camera.frameHeight);
    const fps = num(camera.framesPerSecond);
    if (width !== undefined) out.width = width;
    if (height !== undefined) out.height = height;
    if (fps !== undefined) out.fps = fps;
  }
  return out;
}

/**
 * What we send, as the other side reports it (`remote-inbound-rtp`, from its RTCP receiver
 * reports): loss over the interval (lost / sent deltas of streams that sent anything in it, so a
 * screen sender idle since a share long ago does not keep its old loss), round-trip time, jitter.
 */
export function sendMetrics(prev: StatsLike | undefined, cur: StatsLike): Metrics {
  const out: Metrics = {};
  const stats = statsOf(cur);
  const before = new Map(prev ? statsOf(prev).map((s) => [s.id, s]) : []);
  const byId = new Map(stats.map((s) => [s.id, s]));
  let lost = 0;
  let sent = 0;
  for (const remote of stats) {
    if (remote.type !== 'remote-inbound-rtp') continue;
    const local = typeof remote.localId === 'string' ? byId.get(remote.localId) : undefined;
    const sentNow = num(local?.packetsSent) ?? 0;
    const sentBefore = num(local && before.get(local.id)?.packetsSent) ?? 0;
    if (sentNow - sentBefore <= 0) continue;
    sent += sentNow - sentBefore;
    lost += Math.max(0, (num(remote.packetsLost) ?? 0) - (num(before.get(remote.id)?.packetsLost) ?? 0));
    const jitter = num(remote.jitter);
    if (jitter !== undefined) out.jitterS = Math.max(out.jitterS ?? 0, jitter);
    const rtt = num(remote.roundTripTime);
    if (rtt !== undefined) out.rttS = Math.max(out.rttS ?? 0, rtt);
  }
  // Reports lag the packets they count by up to a second: clamp, as a burst may straddle intervals.
  if (sent > 0) out.lossFraction = Math.min(1, lost / sent);
  const pairRtt = num(selectedPair(stats)?.currentRoundTripTime);
  if (out.rttS === undefined && pairRtt !== undefined) out.rttS = pairRtt;
  return out;
}
