/**
 * One `RTCPeerConnection` to one remote participant, negotiated with the W3C "perfect negotiation"
 * pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example, MDN "Establishing a
 * connection: The perfect negotiation pattern"): either side may offer whenever
 * `negotiationneeded` fires; when two offers cross (glare) the *impolite* side ignores the incoming
 * offer and the *polite* side rolls its own back and answers. Which side is polite is decided by
 * comparing user ids, so both sides agree without a message.
 */
import type { ClientMessage, WireCandidate, WireSdp } from '../signaling/messages';
import { withOpusDtx } from './codecs';

/** What a link needs from the outside. */
export interface PeerLinkOptions {
  selfId: string;
  remoteId: string;
  pc: RTCPeerConnection;
  /** Sends an `offer`, `answer` or `iceCandidate` to the remote participant via the server. */
  send: (message: ClientMessage) => void;
  /** A remote track arrived, with the remote streams it belongs to. */
  onTrack: (event: RTCTrackEvent) => void;
  /** The connection's state changed (also after an ICE restart started). */
  onStateChange: (state: RTCPeerConnectionState) => void;
  /** A negotiation finished (signalingState back to `stable`): a good moment to set encodings. */
  onStable: () => void;
  /**
   * A remote offer was applied and our answer is about to be made: the offer's transceivers exist
   * now, and direction or stream changes made here go into this answer (no extra negotiation).
   */
  onRemoteOffer?: (sdp: string) => void;
  /** We are about to make an offer: changes to the transceivers made here go into it. */
  onBeforeOffer?: () => void;
  /** Something went wrong that the user cannot act on; for the console. */
  onError?: (error: unknown) => void;
  /**
   * After a negotiation, ICE that has not even started checking after this many ms is restarted
   * by the impolite side (see {@link PeerLink.watchStall}).
   */
  stallTimeoutMs?: number;
}

/** Whether we are the polite side towards `remoteId` (the lower user id is polite). */
export function isPolite(selfId: string, remoteId: string): boolean {
  return selfId < remoteId;
}

/** One peer connection plus its perfect-negotiation bookkeeping. */
export class PeerLink {
  readonly remoteId: string;
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  /** How many times we rolled back our own offer to accept theirs (tests read it). */
  rollbacks = 0;
  /** How many ICE restarts we asked for. */
  iceRestarts = 0;
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;
  /** Remote descriptions being applied (and, for an offer, answered). */
  private describing = 0;
  /** Remote candidates kept until the remote description they belong to is in (see handleCandidate). */
  private pendingCandidates: WireCandidate[] = [];
  private closed = false;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: PeerLinkOptions;

  constructor(options: PeerLinkOptions) {
    this.options = options;
    this.remoteId = options.remoteId;
    this.pc = options.pc;
    this.polite = isPolite(options.selfId, options.remoteId);
    const { pc } = this;
    pc.onnegotiationneeded = () => void this.negotiate();
    pc.onicecandidate = ({ candidate }) => {
      // A null candidate marks the end of gathering; the protocol has no message for it.
      if (candidate) this.sendCandidate(candidate);
    };
    pc.ontrack = (event) => options.onTrack(event);
    pc.onconnectionstatechange = () => this.connectionStateChanged();
    pc.onsignalingstatechange = () => {
      if (pc.signalingState !== 'stable') return;
      this.watchStall();
      options.onStable();
    };
  }

  /** Whether this connection can still carry media (it is worth keeping across a rejoin). */
  get alive(): boolean {
    return !this.closed && this.pc.connectionState !== 'closed' && this.pc.signalingState !== 'closed';
  }

  /** Handles an `offer` or `answer` from the remote participant. */
  async handleDescription(description: WireSdp): Promise<void> {
    const { pc } = this;
    if (this.closed) return;
    try {
      // An offer collides with ours if we are making one or have one outstanding, unless we are
      // only waiting for our answer to be applied (then we will be stable by the time it runs).
      const readyForOffer =
        !this.makingOffer && (pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;

      this.isSettingRemoteAnswerPending = description.type === 'answer';
      this.describing += 1;
      try {
        if (offerCollision) {
          // Explicit rollback rather than relying on setRemoteDescription's implicit one, which not
          // every browser has. Both calls go on the connection's operations chain in this order, so
          // the rollback runs after our in-flight setLocalDescription(offer) has completed.
          this.rollbacks += 1;
          await Promise.all([
            pc.setLocalDescription({ type: 'rollback' }),
            pc.setRemoteDescription(description as RTCSessionDescriptionInit),
          ]);
        } else {
          await pc.setRemoteDescription(description as RTCSessionDescriptionInit);
        }
        this.isSettingRemoteAnswerPending = false;
        if (description.type === 'offer') {
          if (this.closed) return;
          this.options.onRemoteOffer?.(description.sdp ?? '');
          await pc.setLocalDescription();
          this.sendDescription('answer');
        }
      } finally {
        this.describing -= 1;
        this.addPendingCandidates();
      }
    } catch (error) {
      this.isSettingRemoteAnswerPending = false;
      this.report(error);
    }
  }

  /**
   * Handles an `iceCandidate` from the remote participant. One that comes while a remote
   * description is being applied or answered (or before the first) waits until that is done, as
   * the minimal client does: in Chromium `addIceCandidate` is a blocking call into WebRTC's
   * signaling thread, so made meanwhile it held up the main thread (and every other link's
   * messages) until that description was done there (a fresh tab's join: 0.6-1.9 s of main thread
   * in addIceCandidate, in a CPU profile).
   */
  async handleCandidate(candidate: WireCandidate): Promise<void> {
    if (this.closed) return;
    // Candidates of an offer we ignored (glare) have no description to belong to: tried at once
    // and dropped on failure, as always.
    if (!this.ignoreOffer && (this.describing > 0 || !this.pc.remoteDescription)) {
      this.pendingCandidates.push(candidate);
      return;
    }
    await this.addCandidate(candidate);
  }

  private async addCandidate(candidate: WireCandidate): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate as RTCIceCandidateInit);
    } catch (error) {
      if (!this.ignoreOffer) this.report(error);
    }
  }

  /** Adds the candidates that waited, once no remote description is being applied. */
  private addPendingCandidates(): void {
    if (this.closed || this.describing > 0 || !this.pc.remoteDescription) return;
    for (const candidate of this.pendingCandidates.splice(0)) void this.addCandidate(candidate);
  }

  /** Closes the connection; no more events. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    const { pc } = this;
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    pc.onsignalingstatechange = null;
    pc.close();
  }

  /**
   * Offers now, without waiting for `negotiationneeded`: that event is a task, which can wait
   * behind the page's own work (rendering the call), while the offer is on the critical path of a
   * join. The event that follows finds the offer made and does nothing.
   */
  offer(): Promise<void> {
    return this.negotiate();
  }

  private async negotiate(): Promise<void> {
    if (this.closed) return;
    // Already offering (or answering: the answer will do): `negotiationneeded` fires again after
    // stable if something is still missing.
    if (this.makingOffer || this.pc.signalingState !== 'stable') return;
    try {
      this.makingOffer = true;
      this.options.onBeforeOffer?.();
      await this.pc.setLocalDescription();
      this.sendDescription('offer');
    } catch (error) {
      this.report(error);
    } finally {
      this.makingOffer = false;
    }
  }

  /**
   * Works around a Chromium behaviour seen with glare: the polite side that rolled back its first
   * offer and answered the other's may never gather ICE candidates for that answer, leaving the
   * pair in `new` for good. An ICE restart (a fresh ICE generation) makes it gather. Only the
   * impolite side restarts, so the restart offers do not collide again.
   */
  private watchStall(): void {
    if (this.polite || this.stallTimer || this.closed) return;
    const { pc } = this;
    if (pc.iceConnectionState !== 'new' || !pc.remoteDescription || !pc.localDescription) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (this.closed || pc.iceConnectionState !== 'new' || pc.signalingState !== 'stable') return;
      this.iceRestarts += 1;
      pc.restartIce();
    }, this.options.stallTimeoutMs ?? 4000);
  }

  private connectionStateChanged(): void {
    const state = this.pc.connectionState;
    if (state === 'failed' && !this.closed) {
      // ICE restart renegotiates through negotiationneeded, which perfect negotiation handles.
      this.iceRestarts += 1;
      this.pc.restartIce();
    }
    this.options.onStateChange(state);
  }

  private sendDescription(kind: 'offer' | 'answer'): void {
    const local = this.pc.localDescription;
    // After a rollback our offer may be gone by the time we would send it.
    if (!local || local.type !== kind || this.closed) return;
    this.options.send({
      type: kind,
      payload: { sdp: { type: local.type, sdp: withOpusDtx(local.sdp) }, targetId: this.remoteId },
    });
  }

  private sendCandidate(candidate: RTCIceCandidate): void {
    const json = candidate.toJSON();
    if (!json.candidate && json.candidate !== '') return;
    const wire: WireCandidate = { candidate: json.candidate ?? '' };
    if (json.sdpMid !== undefined) wire.sdpMid = json.sdpMid;
    if (json.sdpMLineIndex !== undefined) wire.sdpMLineIndex = json.sdpMLineIndex;
    if (json.usernameFragment !== undefined) wire.usernameFragment = json.usernameFragment;
    this.options.send({ type: 'iceCandidate', payload: { candidate: wire, targetId: this.remoteId } });
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}
