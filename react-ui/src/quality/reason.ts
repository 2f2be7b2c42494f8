/**
 * The sentence that says why a connection is rated as it is ("Ann: 8% packet loss"), for the tile
 * indicator's tooltip and accessible description. Pure apart from the translation function passed in.
 */
import type { TFunction } from 'i18next';
import type { Level, Verdict } from './classify';
import type { PeerQuality } from './qualityMonitor';
import { worse } from './qualityMonitor';

/** The verdict's value in the unit its sentence uses (percent, milliseconds, frames/s). */
export function displayValue(verdict: Verdict): number {
  const v = verdict.value ?? 0;
  if (verdict.metric === 'loss') return Math.round(v * 100);
  if (verdict.metric === 'rtt' || verdict.metric === 'jitter') return Math.round(v * 1000);
  return Math.round(v);
}

/** "`who`: <why>" in the `quality` namespace's words. */
export function reasonText(t: TFunction, who: string, verdict: Verdict): string {
  if (!verdict.metric) return t('quality:reason.good', { name: who });
  return t(`quality:reason.${verdict.metric}`, { name: who, value: displayValue(verdict) });
}

/** What a tile shows: its level and why. */
export interface TileVerdict {
  level: Level;
  reason: string;
}

/** A remote person's tile: what we receive from them. */
export function remoteVerdict(t: TFunction, name: string, quality: PeerQuality | undefined): TileVerdict | null {
  if (!quality) return null;
  return { level: quality.receive.level, reason: reasonText(t, name, quality.receive) };
}

/**
 * Our own tile: what we send, as the others report it; the worst connection speaks
 * ("Your video to Ann: 8% packet loss").
 */
export function ownVerdict(t: TFunction, peers: ReadonlyMap<string, PeerQuality>, nameOf: (userId: string) => string): TileVerdict | null {
  let worst: { userId: string; verdict: Verdict } | null = null;
  for (const [userId, quality] of peers) {
    if (!worst || worse(worst.verdict, quality.send) !== worst.verdict) worst = { userId, verdict: quality.send };
  }
  if (!worst) return null;
  const who = worst.verdict.metric ? t('quality:sendingTo', { name: nameOf(worst.userId) }) : t('quality:you');
  return { level: worst.verdict.level, reason: reasonText(t, who, worst.verdict) };
}
