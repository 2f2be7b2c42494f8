/**
 * Who is speaking, from audio levels (0..1, as `getStats()` reports `audioLevel`). Pure apart from
 * {@link readAudioLevels}, which only reads stats.
 */

/** Levels below this are silence or background noise. */
export const SPEAKING_THRESHOLD = 0.03;

/** A new speaker must be this much louder than the current one to take the highlight. */
const SWITCH_MARGIN = 1.5;

/**
 * The active speaker given the current `levels` (by user id) and the `previous` speaker: the
 * loudest one above the threshold, with hysteresis so the highlight does not flicker between two
 * people talking over each other.
 */
export function pickActiveSpeaker(levels: ReadonlyMap<string, number>, previous: string | null): string | null {
  let loudest: string | null = null;
  let loudestLevel = 0;
  for (const [userId, level] of levels) {
    if (level >= SPEAKING_THRESHOLD && level > loudestLevel) {
      loudest = userId;
      loudestLevel = level;
    }
  }
  if (loudest === null) return null;
  const previousLevel = previous ? (levels.get(previous) ?? 0) : 0;
  if (previous && previousLevel >= SPEAKING_THRESHOLD && loudestLevel < previousLevel * SWITCH_MARGIN) {
    return previous;
  }
  return loudest;
}

/**
 * Reads audio levels: the received audio of each remote peer (`inbound-rtp`), and our own
 * microphone (`media-source`, the same on every connection, so the first one that has it).
 */
export async function readAudioLevels(
  selfId: string,
  connections: ReadonlyMap<string, RTCPeerConnection>,
): Promise<Map<string, number>> {
  const levels = new Map<string, number>();
  await Promise.all(
    [...connections].map(async ([userId, pc]) => {
      // A connection still being set up carries no sound yet, and getStats() would queue behind
      // (and delay) its negotiation on the browser's WebRTC threads.
      if (pc.connectionState !== 'connected') return;
      try {
        const report = await pc.getStats();
        report.forEach((stat: { type: string; kind?: string; audioLevel?: number }) => {
          if (stat.kind !== 'audio' || typeof stat.audioLevel !== 'number') return;
          if (stat.type === 'inbound-rtp') levels.set(userId, Math.max(levels.get(userId) ?? 0, stat.audioLevel));
          if (stat.type === 'media-source' && !levels.has(selfId)) levels.set(selfId, stat.audioLevel);
        });
      } catch {
        // A connection that closed meanwhile has no level.
      }
    }),
  );
  return levels;
}
