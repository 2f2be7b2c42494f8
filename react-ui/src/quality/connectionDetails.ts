/**
 * The numbers the Connection details panel shows for one connection, from two successive getStats()
 * reports: codecs, bitrates, candidate types, and the camera's resolution and frame rate each way.
 * Pure: plain Map-like reports in, a plain object out.
 */
import { cameraStream, num, selectedPair, statsOf, type Stat, type StatsLike } from './statsDelta';

/** One direction (receiving from them, or sending to them). */
export interface DirectionDetails {
  /** Codec names, video first (e.g. "VP8, opus"). */
  codec?: string;
  /** Bits per second over the interval, every stream of that direction together. */
  bitrate?: number;
  width?: number;
  height?: number;
  fps?: number;
}

/** What the panel shows for one connection. */
export interface ConnectionDetails {
  /** The ICE candidate type in use on our side and on theirs: host, srflx, prflx or relay. */
  localCandidate?: string;
  remoteCandidate?: string;
  receiving: DirectionDetails;
  sending: DirectionDetails;
}

function codecOf(stats: Map<string, Stat>, rtp: Stat): string | undefined {
  const codec = typeof rtp.codecId === 'string' ? stats.get(rtp.codecId) : undefined;
  const mime = typeof codec?.mimeType === 'string' ? codec.mimeType : undefined;
  return mime?.split('/')[1];
}

/** Bits per second of the streams of `type`, from the byte counters' and timestamps' deltas. */
function bitrate(prev: Map<string, Stat>, stats: readonly Stat[], type: string, bytesKey: string): number | undefined {
  let bits = 0;
  let seconds = 0;
  for (const s of stats) {
    if (s.type !== type) continue;
    const before = prev.get(s.id);
    const bytes = (num(s[bytesKey]) ?? 0) - (num(before?.[bytesKey]) ?? 0);
    const ms = (num(s.timestamp) ?? 0) - (num(before?.timestamp) ?? 0);
    if (!before || ms <= 0 || bytes < 0) continue;
    bits += bytes * 8;
    seconds = Math.max(seconds, ms / 1000);
  }
  return seconds > 0 ? Math.round(bits / seconds) : undefined;
}

function direction(prev: Map<string, Stat>, byId: Map<string, Stat>, stats: readonly Stat[], type: 'inbound-rtp' | 'outbound-rtp'): DirectionDetails {
  const out: DirectionDetails = {};
  const camera = cameraStream(stats, type);
  const audio = stats.find((s) => s.type === type && s.kind === 'audio');
  const codecs = [camera, audio].map((s) => (s ? codecOf(byId, s) : undefined)).filter(Boolean);
  if (codecs.length) out.codec = codecs.join(', ');
  const rate = bitrate(prev, stats, type, type === 'inbound-rtp' ? 'bytesReceived' : 'bytesSent');
  if (rate !== undefined) out.bitrate = rate;
  if (camera) {
    out.width = num(camera.frameWidth);
    out.height = num(camera.frameHeight);
    out.fps = num(camera.framesPerSecond);
  }
  return out;
}

/** The details of one connection for the interval between prev (or none) and cur. */
export function connectionDetails(prev: StatsLike | undefined, cur: StatsLike): ConnectionDetails {
  const stats = statsOf(cur);
  const byId = new Map(stats.map((s) => [s.id, s]));
  const before = new Map(prev ? statsOf(prev).map((s) => [s.id, s]) : []);
  const pair = selectedPair(stats);
  const candidate = (id: unknown) => {
    const c = typeof id === 'string' ? byId.get(id) : undefined;
    return typeof c?.candidateType === 'string' ? c.candidateType : undefined;
  };
  return {
    localCandidate: candidate(pair?.localCandidateId),
    remoteCandidate: candidate(pair?.remoteCandidateId),
    receiving: direction(before, byId, stats, 'inbound-rtp'),
    sending: direction(before, byId, stats, 'outbound-rtp'),
  };
}
