/**
 * Keeps our senders at the limits the policy (`bandwidth.ts`) wants: one `setParameters` at a time
 * per sender, none when the limits did not change, and a new link's camera raised from its start
 * limits a moment after the link connects. No React.
 */
import { applyEncodingLimits, type EncodingLimits, type SenderRole } from './bandwidth';

/** The senders towards one peer that have limits (audio has none). */
export interface LimitedSenders {
  camera?: RTCRtpSender;
  screen?: RTCRtpSender;
}

/** What {@link SenderLimits} asks of the peer manager. */
export interface SenderLimitsOptions {
  /** How long after a link connects its camera leaves the start limits, in ms. */
  rampUpMs: number;
  /** The senders towards `userId` (undefined once the link is gone). */
  senders: (userId: string) => LimitedSenders | undefined;
  /** Everyone we have senders towards. */
  userIds: () => Iterable<string>;
  /**
   * The limits for one sender towards `userId` now; `rampedUp`: its link's camera has left its
   * start limits.
   */
  limits: (role: SenderRole, rampedUp: boolean, userId: string) => EncodingLimits;
  /**
   * Whether limits can be set now; when not, nothing is set and the caller calls {@link
   * SenderLimits.all} once it can (default: always).
   */
  ready?: () => boolean;
}

/** The limits of every sender of one mesh. */
export class SenderLimits {
  /** Links whose camera runs at the room's limits (the others are still at the start limits). */
  private readonly rampedUp = new Set<string>();
  private readonly rampTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Senders with a setParameters in flight, and whether to run it again when it ends. */
  private readonly limiting = new Map<RTCRtpSender, boolean>();
  /** The limits last set on each sender (as JSON), so unchanged ones are not set again. */
  private readonly applied = new WeakMap<RTCRtpSender, string>();
  private readonly options: SenderLimitsOptions;

  constructor(options: SenderLimitsOptions) {
    this.options = options;
  }

  /** Sets the limits of every sender (the room size or the share changed, a negotiation ended). */
  all(): void {
    for (const userId of this.options.userIds()) this.link(userId);
  }

  /** Sets the limits of our senders towards one peer. */
  link(userId: string): void {
    if (this.options.ready && !this.options.ready()) return;
    const senders = this.options.senders(userId);
    if (!senders) return;
    for (const role of ['camera', 'screen'] as const) {
      const sender = senders[role];
      if (sender) this.limit(sender, () => this.options.limits(role, this.rampedUp.has(userId), userId));
    }
  }

  /** The limits a new camera sender towards `userId` starts at (see {@link preset}). */
  cameraStart(userId: string): EncodingLimits {
    return this.options.limits('camera', this.rampedUp.has(userId), userId);
  }

  /** `sender` was made with `limits` (`sendEncodings`): they are not set on it again. */
  preset(sender: RTCRtpSender, limits: EncodingLimits): void {
    this.applied.set(sender, JSON.stringify(limits));
  }

  /** The link to `userId` connected: its camera is raised after a moment (its first frames are out). */
  connected(userId: string): void {
    if (this.rampedUp.has(userId) || this.rampTimers.has(userId)) return;
    this.rampTimers.set(
      userId,
      setTimeout(() => {
        this.rampTimers.delete(userId);
        if (!this.options.senders(userId)) return;
        this.rampedUp.add(userId);
        this.link(userId);
      }, this.options.rampUpMs),
    );
  }

  /** The link to `userId` is gone. */
  forget(userId: string): void {
    clearTimeout(this.rampTimers.get(userId));
    this.rampTimers.delete(userId);
    this.rampedUp.delete(userId);
  }

  /**
   * One `setParameters` at a time per sender (a second one while the first is pending would be
   * refused for a stale transactionId and the change lost); a request meanwhile runs once more
   * afterwards, with the limits of that moment.
   */
  private limit(sender: RTCRtpSender, limits: () => EncodingLimits): void {
    if (this.limiting.has(sender)) {
      this.limiting.set(sender, true);
      return;
    }
    const wanted = limits();
    const key = JSON.stringify(wanted);
    // Negotiations happen often (every join); setParameters costs a trip to the WebRTC threads.
    if (this.applied.get(sender) === key) return;
    this.limiting.set(sender, false);
    void applyEncodingLimits(sender, wanted)
      .then((done) => {
        if (done) this.applied.set(sender, key);
      })
      .finally(() => {
        const again = this.limiting.get(sender);
        this.limiting.delete(sender);
        if (again) this.limit(sender, limits);
      });
  }
}
