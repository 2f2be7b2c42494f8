/**
 * Who is speaking, from audio levels (0..1, as `getStats()` reports `audioLevel`). Pure apart from
 * {@link readAudioLevels}, which only reads stats.
 */

/** Levels below this are silence or background noise. */
export const SPEAKING_THRESHOLD = 0.03;

/** A new speaker must be this much louder than the current one to take the highlight. */
const SWITCH_MARGIN = 1.5;

/** Settings of a {@link SpeakerTracker} (tests pass a clock). */
export interface SpeakerTrackerOptions {
  /** The least time a highlight stays on one person, in ms. */
  holdMs?: number;
  /** How much louder than the current speaker someone must be to take the highlight. */
  margin?: number;
}

/** The least time the highlight stays on one person (issue 17: it flickered every 0.4-2 s). */
export const SPEAKER_HOLD_MS = 1500;

/**
 * The active speaker over time, with hysteresis: a highlight stays at least `holdMs` on one person,
 * survives pauses between words shorter than `holdMs`, and moves to someone else only when they are
 * clearly louder (`margin` times) or the current speaker has gone quiet. Someone who is no longer in
 * the levels (muted, or gone) loses it at once.
 */
export class SpeakerTracker {
  private speaker: string | null = null;
  /** When the highlight moved to `speaker`. */
  private since = 0;
  /** When `speaker` was last heard above the threshold. */
  private heardAt = 0;
  private readonly holdMs: number;
  private readonly margin: number;

  constructor(options: SpeakerTrackerOptions = {}) {
    this.holdMs = options.holdMs ?? SPEAKER_HOLD_MS;
    this.margin = options.margin ?? SWITCH_MARGIN;
  }

  /** The current speaker (null: nobody). */
  get current(): string | null {
    return this.speaker;
  }

  /** Takes the levels read at time `now` (ms) and returns who is highlighted now. */
  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    let loudest: string | null = null;
    let loudestLevel = 0;
    for (const [userId, level] of levels) {
      if (level >= SPEAKING_THRESHOLD && level > loudestLevel) {
        loudest = userId;
        loudestLevel = level;
      }
    }
    const current = this.speaker;
    const currentLevel = current === null ? undefined : levels.get(current);
    if (current !== null && currentLevel !== undefined) {
      if (currentLevel >= SPEAKING_THRESHOLD) this.heardAt = now;
      const held = now - this.since < this.holdMs;
      const quiet = currentLevel < SPEAKING_THRESHOLD;
      if (held || loudest === null || loudest === current) {
        // A pause between words is not the end of a turn.
        if (quiet && !held && loudest === null && now - this.heardAt >= this.holdMs) this.set(null, now);
        return this.speaker;
      }
      if (!quiet && loudestLevel < currentLevel * this.margin) return current;
    }
    this.set(loudest, now);
    return this.speaker;
  }

  private set(speaker: string | null, now: number): void {
    if (speaker !== this.speaker) this.since = now;
    this.speaker = speaker;
    this.heardAt = now;
  }
}

/**
 * How full the speaking tile's level indicator is, in steps of a quarter (0..1): `audioLevel` is
 * linear, and speech is mostly between 0.03 and 0.3, so it is shown on a square-root scale. Steps,
 * so that the page re-renders only when the indicator visibly changes.
 */
export function levelBars(level: number): number {
  if (!(level >= SPEAKING_THRESHOLD)) return 0;
  return Math.max(0.25, Math.min(1, Math.round(Math.sqrt(level / 0.3) * 4) / 4));
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
