/**
 * Connection quality of one call: every 2 s, reads getStats() of each connected peer connection,
 * classifies what we receive from that person and what we send them (classify.ts), keeps the
 * numbers for the Connection details panel, and tells the peer manager to lower our video to a
 * person whose connection has been poor for more than 10 s (downgradePolicy.ts). No React: the UI
 * subscribes to its snapshots.
 */
import { Emitter } from '../lib/emitter';
import { classify, type Metrics, type Verdict } from './classify';
import { connectionDetails, type ConnectionDetails } from './connectionDetails';
import { DowngradePolicy } from './downgradePolicy';
import { receiveMetrics, sendMetrics, type ReceiveMetrics, type StatsLike } from './statsDelta';

/** How often connections are read, in ms. */
export const POLL_MS = 2000;

/** How many samples the frame-rate peak looks back over (20 s at one every 2 s). */
const FPS_WINDOW = 10;
/** Below this peak frame rate there is no steady video to judge (a still camera, a slide). */
const MIN_PEAK_FPS = 5;

/** The quality of one connection as last read. */
export interface PeerQuality {
  /** What we receive from them (the indicator on their tile). */
  receive: Verdict;
  /** What we send them, as they report it (part of the indicator on our own tile). */
  send: Verdict;
  received: ReceiveMetrics;
  sent: Metrics;
  details: ConnectionDetails;
  /** Our video to them is lowered (poor for more than 10 s). */
  lowered: boolean;
}

/** Everything the UI shows: one entry per connected peer, by user id. */
export interface QualitySnapshot {
  peers: ReadonlyMap<string, PeerQuality>;
}

/** Settings of a {@link QualityMonitor}. */
export interface QualityMonitorOptions {
  /** The live connections by remote user id (PeerManager.connections). */
  connections: ReadonlyMap<string, RTCPeerConnection>;
  /** Whether `userId`'s camera is on (a camera that is off sends no frame rate worth judging). */
  cameraOn: (userId: string) => boolean;
  /** Lower (true) or restore (false) our video to `userId`. */
  setLowered: (userId: string, lowered: boolean) => void;
  intervalMs?: number;
  now?: () => number;
}

interface PeerState {
  prev?: StatsLike;
  fps: number[];
}

type Events = { change: (snapshot: QualitySnapshot) => void };

const RANK = { good: 0, fair: 1, poor: 2 } as const;

/** The worse of two verdicts (the first on a tie). */
export function worse(a: Verdict, b: Verdict): Verdict {
  return RANK[b.level] > RANK[a.level] ? b : a;
}

/** Polls the connections of one call and keeps their quality. */
export class QualityMonitor {
  private readonly options: QualityMonitorOptions;
  private readonly policy = new DowngradePolicy();
  private readonly state = new Map<string, PeerState>();
  private readonly events = new Emitter<Events>();
  private snap: QualitySnapshot = { peers: new Map() };
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  constructor(options: QualityMonitorOptions) {
    this.options = options;
  }

  /** The latest snapshot (a new object after every read). */
  get snapshot(): QualitySnapshot {
    return this.snap;
  }

  /** Subscribes to new snapshots; returns the unsubscribe function. */
  subscribe(listener: (snapshot: QualitySnapshot) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Starts reading every 2 s (once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? POLL_MS);
  }

  /** Stops reading (the call ended). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads every connection once and publishes a snapshot (the timer calls it; tests too). */
  async poll(): Promise<void> {
    // A read slower than the interval (a loaded machine) is not stacked behind by another.
    if (this.busy) return;
    this.busy = true;
    try {
      const peers = new Map<string, PeerQuality>();
      const now = (this.options.now ?? Date.now)();
      await Promise.all(
        [...this.options.connections].map(async ([userId, pc]) => {
          const quality = await this.read(userId, pc, now);
          if (quality) peers.set(userId, quality);
        }),
      );
      for (const userId of [...this.state.keys()]) {
        if (!this.options.connections.has(userId)) {
          this.state.delete(userId);
          this.policy.forget(userId);
        }
      }
      this.snap = { peers };
      this.events.emit('change', this.snap);
    } finally {
      this.busy = false;
    }
  }

  private async read(userId: string, pc: RTCPeerConnection, now: number): Promise<PeerQuality | null> {
    // A connection still being set up says nothing yet, and getStats() would queue behind (and
    // delay) its negotiation on the browser's WebRTC threads.
    if (pc.connectionState !== 'connected' || typeof pc.getStats !== 'function') return null;
    let report: StatsLike;
    try {
      report = (await pc.getStats()) as unknown as StatsLike;
    } catch {
      return null; // closed meanwhile
    }
    let state = this.state.get(userId);
    if (!state) this.state.set(userId, (state = { fps: [] }));
    const received = receiveMetrics(state.prev, report);
    const sent = sendMetrics(state.prev, report);
    const details = connectionDetails(state.prev, report);
    state.prev = report;
    const receive = classify({ ...received, expectedFps: this.expectedFps(userId, state, received.fps) });
    const send = classify(sent);
    // The link's own health, not its frame rate: a low rate may be the sender's CPU or our own
    // lowering, which lowering further would not cure (and could never be restored from).
    const network = classify({
      rttS: received.rttS ?? sent.rttS,
      lossFraction: maxOf(received.lossFraction, sent.lossFraction),
      jitterS: maxOf(received.jitterS, sent.jitterS),
    });
    const decision = this.policy.observe(userId, network.level, now);
    if (decision) this.options.setLowered(userId, decision === 'lower');
    return { receive, send, received, sent, details, lowered: this.policy.isLowered(userId) };
  }

  /**
   * The frame rate to judge `fps` against: the best of the last 20 s of this camera (its sender's
   * capture and limits are not known here), or none while the camera is off or barely moving.
   */
  private expectedFps(userId: string, state: PeerState, fps: number | undefined): number | undefined {
    if (!this.options.cameraOn(userId) || fps === undefined) {
      state.fps = [];
      return undefined;
    }
    state.fps = [...state.fps.slice(-(FPS_WINDOW - 1)), fps];
    const peak = Math.max(...state.fps);
    return peak >= MIN_PEAK_FPS ? peak : undefined;
  }
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}
