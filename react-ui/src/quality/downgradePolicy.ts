/**
 * When a connection has been poor for more than POOR_MS, lower THAT connection's video; restore it
 * after GOOD_MS of good. Pure: the caller feeds (peerId, level, nowMs) and applies the decisions.
 */
import type { Level } from './classify';

export const POOR_MS = 10_000;
/** Longer than POOR_MS so a connection does not flap between lowered and restored. */
export const GOOD_MS = 20_000;

interface PeerState { since: number; level: Level; lowered: boolean; }

export type Decision = 'lower' | 'restore' | null;

export class DowngradePolicy {
  private peers = new Map<string, PeerState>();

  /** Record one sample for peerId; returns what to do with that peer's video now, if anything. */
  observe(peerId: string, level: Level, nowMs: number): Decision {
    let s = this.peers.get(peerId);
    if (!s) {
      s = { since: nowMs, level, lowered: false };
      this.peers.set(peerId, s);
    } else if (s.level !== level) {
      s.level = level;
      s.since = nowMs;
    }
    const held = nowMs - s.since;
    if (!s.lowered && level === 'poor' && held > POOR_MS) {
      s.lowered = true;
      return 'lower';
    }
    if (s.lowered && level === 'good' && held >= GOOD_MS) {
      s.lowered = false;
      return 'restore';
    }
    return null;
  }

  /** Whether that peer's video is currently lowered. */
  isLowered(peerId: string): boolean {
    return this.peers.get(peerId)?.lowered ?? false;
  }

  /** Forget a peer that left. */
  forget(peerId: string): void {
    this.peers.delete(peerId);
  }
}
