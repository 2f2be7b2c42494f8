/**
 * The active speaker of a call, read every so often from the connections' audio levels
 * (activeSpeaker.ts decides who it is) into the call's snapshot. No React.
 */
import { levelBars, readAudioLevels, SpeakerTracker } from './activeSpeaker';
import type { CallSnapshot } from './callSnapshot';

/** What a {@link SpeakerSampler} works with. */
export interface SpeakerSamplerOptions {
  /** The connections whose levels are read (the mesh's). */
  connections: () => ReadonlyMap<string, RTCPeerConnection>;
  /** The call's snapshot now (who we are, who is muted, the speaker shown). */
  snapshot: () => CallSnapshot;
  /** Changes the call's snapshot. */
  update: (patch: Pick<CallSnapshot, 'activeSpeaker' | 'speakerLevel'>) => void;
  /** Whether the call has ended. */
  ended: () => boolean;
}

/** Reads who speaks, on a timer, from the join's connections being up until the call ends. */
export class SpeakerSampler {
  private readonly options: SpeakerSamplerOptions;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly speakers = new SpeakerTracker();

  constructor(options: SpeakerSamplerOptions) {
    this.options = options;
  }

  /** Reads the levels every `everyMs` (0: never; once started, later calls do nothing). */
  start(everyMs: number): void {
    if (everyMs > 0 && !this.timer) this.timer = setInterval(() => void this.sample(), everyMs);
  }

  /** No more readings (the call ended). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sample(): Promise<void> {
    const { snapshot, update, ended } = this.options;
    const connections = this.options.connections();
    if (ended() || connections.size === 0) {
      if (snapshot().activeSpeaker !== null) update({ activeSpeaker: null, speakerLevel: 0 });
      return;
    }
    const levels = await readAudioLevels(snapshot().selfId, connections);
    if (snapshot().audioMuted) levels.delete(snapshot().selfId);
    for (const p of snapshot().participants) if (p.audioMuted) levels.delete(p.userId);
    const speaker = this.speakers.update(levels, Date.now());
    const speakerLevel = speaker === null ? 0 : levelBars(levels.get(speaker) ?? 0);
    if (!ended()) update({ activeSpeaker: speaker, speakerLevel });
  }
}
