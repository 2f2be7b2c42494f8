/**
 * A hand-written fake of the WebRTC objects the peer manager uses, for tests in Node (which has no
 * RTCPeerConnection). It is NOT a real WebRTC stack: it models what perfect negotiation depends on,
 * following the W3C webrtc-pc spec and JSEP:
 *
 * - an operations chain: setLocalDescription / setRemoteDescription / addIceCandidate run one after
 *   another in call order, each asynchronously;
 * - signalingState transitions stable → have-local-offer → stable (answer applied) and
 *   stable → have-remote-offer → stable (answer created); `rollback` is valid only in
 *   have-local-offer / have-remote-offer; anything else rejects with InvalidStateError. There is
 *   deliberately NO implicit rollback in setRemoteDescription(offer) while in have-local-offer, so
 *   code under test must roll back explicitly (as older browsers require);
 * - transceivers: addTrack reuses an unused transceiver of the same kind, removeTrack turns a
 *   sender's direction to recvonly/inactive, a remote offer's m-lines are matched by mid or take an
 *   unassociated addTrack transceiver of the same kind, and a rollback un-assigns mids that were
 *   never negotiated;
 * - `negotiationneeded` fires (as a task) when the transceivers no longer match what was last
 *   negotiated, only in `stable`, and again after returning to stable if still needed;
 * - remote tracks: `track` events with the sender's stream ids (msid), and `removetrack` on the
 *   remote stream when the sender stops sending;
 * - ICE: one host candidate per local description, `addIceCandidate` rejects without a remote
 *   description, `connected` once both descriptions are set and there are local and remote
 *   candidates, `restartIce()` forces a new offer with a new ufrag; optionally (see
 *   `rollbackStopsGathering`) a Chromium behaviour where an answer after a rollback gathers nothing.
 * The SDP is JSON of this model, not real SDP.
 *
 * The connection is here; the transceiver rules are in fakeNegotiation.ts, senders, transceivers
 * and the JSON SDP in fakeTransceivers.ts, data channels in fakeDataChannel.ts, tracks and streams
 * in fakeMedia.ts.
 */

import { FakeDataChannel } from './fakeDataChannel';
import { FakeEventTarget, FakeStream, FakeTrack, newId } from './fakeMedia';
import {
  answerLines,
  offerLines,
  rollBackLocalOffer,
  rollBackRemoteOffer,
  takeAnswer,
  takeRemoteOffer,
  transceiversNeedNegotiation,
} from './fakeNegotiation';
import {
  directionOf,
  domError,
  FakeSender,
  FakeTransceiver,
  parse,
  receives,
  sends,
  type Direction,
  type FakeSdp,
} from './fakeTransceivers';

export { FakeDataChannel } from './fakeDataChannel';
export { FakeStream, FakeTrack, fakeCameraStream } from './fakeMedia';

/** All fake connections made, for tests that look inside. */
export const fakePeerConnections: FakePeerConnection[] = [];

/** A fake `RTCPeerConnection` (see the module comment for what it models). */
export class FakePeerConnection extends FakeEventTarget {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  /** Mirrors connectionState closely enough for the code under test ('new' until connected). */
  get iceConnectionState(): RTCIceConnectionState {
    return this.connectionState === 'connected' ? 'connected' : this.connectionState === 'failed' ? 'failed' : 'new';
  }
  /**
   * Opt-in model of a Chromium behaviour: after rolling back its own first offer, a connection
   * gathers no candidates for its answer until an ICE restart.
   */
  static rollbackStopsGathering = false;
  private gatheringBroken = false;
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType; sdp: string } | null = null;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  ontrack: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  onsignalingstatechange: (() => void) | null = null;
  readonly transceivers: FakeTransceiver[] = [];
  restartIceCalls = 0;
  offersMade = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private ufrag = newId('ufrag');
  private iceRestartPending = false;
  private remoteCandidates = 0;
  private localCandidates = 0;
  private negotiationNeededScheduled = false;
  private readonly remoteStreams = new Map<string, FakeStream>();
  private midCounter = 0;
  private stableLocal: { type: RTCSdpType; sdp: string } | null = null;

  getConfiguration(): RTCConfiguration {
    return { ...this.config };
  }

  setConfiguration(config: RTCConfiguration): void {
    if (this.signalingState === 'closed') throw domError('InvalidStateError');
    this.config = { ...config };
  }

  constructor(public config: RTCConfiguration = {}) {
    super();
    fakePeerConnections.push(this);
  }

  getSenders(): FakeSender[] {
    return this.transceivers.map((t) => t.sender);
  }
  getTransceivers(): FakeTransceiver[] {
    return [...this.transceivers];
  }

  addTrack(track: FakeTrack, ...streams: FakeStream[]): FakeSender {
    this.assertOpen();
    if (this.transceivers.some((t) => t.sender.track === track)) throw domError('InvalidAccessError');
    let transceiver = this.transceivers.find(
      (t) => t.kind === track.kind && t.sender.track === null && !t.usedToSend,
    );
    if (transceiver) {
      transceiver.sender.track = track;
      transceiver.direction = directionOf(true, receives(transceiver.direction));
    } else {
      transceiver = new FakeTransceiver(track.kind, new FakeSender(track), 'sendrecv', true);
      this.transceivers.push(transceiver);
    }
    transceiver.usedToSend = true;
    transceiver.sender.streamIds = streams.map((s) => s.id);
    this.updateNegotiationNeeded();
    return transceiver.sender;
  }

  addTransceiver(
    trackOrKind: FakeTrack | 'audio' | 'video',
    init: { direction?: Direction; streams?: FakeStream[]; sendEncodings?: RTCRtpEncodingParameters[] } = {},
  ): FakeTransceiver {
    this.assertOpen();
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = track ? track.kind : (trackOrKind as 'audio' | 'video');
    const transceiver = new FakeTransceiver(kind, new FakeSender(track), init.direction ?? 'sendrecv', false);
    transceiver.sender.streamIds = (init.streams ?? []).map((s) => s.id);
    transceiver.sender.encodings = (init.sendEncodings ?? []).map((e) => ({ ...e }));
    if (track) transceiver.usedToSend = true;
    transceiver.stop = () => this.stopTransceiver(transceiver);
    this.transceivers.push(transceiver);
    this.updateNegotiationNeeded();
    return transceiver;
  }

  removeTrack(sender: FakeSender): void {
    this.assertOpen();
    const transceiver = this.transceivers.find((t) => t.sender === sender);
    if (!transceiver || sender.track === null) return;
    sender.track = null;
    transceiver.direction = directionOf(false, receives(transceiver.direction));
    this.updateNegotiationNeeded();
  }

  /**
   * `RTCRtpTransceiver.stop()`: one that never had an m-line just goes away; a negotiated one stops
   * sending and receiving (modelled as inactive; its m-line is not rejected here).
   */
  private stopTransceiver(transceiver: FakeTransceiver): void {
    transceiver.currentDirection = 'stopped';
    transceiver.sender.track = null;
    if (transceiver.mid === null) {
      this.transceivers.splice(this.transceivers.indexOf(transceiver), 1);
    } else {
      transceiver.direction = 'inactive';
      this.updateNegotiationNeeded();
    }
  }

  restartIce(): void {
    this.restartIceCalls += 1;
    this.iceRestartPending = true;
    this.updateNegotiationNeeded();
  }

  setLocalDescription(description?: { type: RTCSdpType; sdp?: string }): Promise<void> {
    return this.operation(() => {
      const type =
        description?.type ??
        (['stable', 'have-local-offer'].includes(this.signalingState) ? 'offer' : 'answer');
      if (type === 'rollback') return this.rollback();
      if (type === 'offer') {
        if (!['stable', 'have-local-offer'].includes(this.signalingState)) throw domError('InvalidStateError');
        if (this.iceRestartPending) {
          this.ufrag = newId('ufrag');
          this.iceRestartPending = false;
          this.gatheringBroken = false;
        }
        this.stableLocal = this.signalingState === 'stable' ? this.localDescription : this.stableLocal;
        const mlines = offerLines(this.transceivers, () => String(this.midCounter++));
        this.offersMade += 1;
        this.localDescription = { type, sdp: JSON.stringify({ ufrag: this.ufrag, mlines }) };
        this.setSignalingState('have-local-offer');
      } else if (type === 'answer') {
        if (this.signalingState !== 'have-remote-offer') throw domError('InvalidStateError');
        const offer = parse(this.remoteDescription!.sdp);
        const mlines = answerLines(this.transceivers, offer);
        this.localDescription = { type, sdp: JSON.stringify({ ufrag: this.ufrag, mlines }) };
        this.applyRemoteSending(offer);
        this.setSignalingState('stable');
      } else {
        throw domError('InvalidStateError');
      }
      this.gatherCandidate();
    });
  }

  setRemoteDescription(description: { type: RTCSdpType; sdp?: string }): Promise<void> {
    return this.operation(() => {
      if (description.type === 'rollback') return this.rollback();
      const sdp = parse(description.sdp ?? '');
      // A remote ICE restart (new ufrag) starts a new generation here too.
      if (this.remoteDescription && parse(this.remoteDescription.sdp).ufrag !== sdp.ufrag) {
        this.ufrag = newId('ufrag');
        this.gatheringBroken = false;
      }
      if (description.type === 'offer') {
        // No implicit rollback here, on purpose (see the module comment).
        if (!['stable', 'have-remote-offer'].includes(this.signalingState)) throw domError('InvalidStateError');
        this.midCounter = takeRemoteOffer(this.transceivers, sdp, this.midCounter);
        this.remoteDescription = { type: 'offer', sdp: description.sdp ?? '' };
        this.setSignalingState('have-remote-offer');
      } else if (description.type === 'answer') {
        if (this.signalingState !== 'have-local-offer') throw domError('InvalidStateError');
        takeAnswer(this.transceivers, parse(this.localDescription!.sdp));
        this.remoteDescription = { type: 'answer', sdp: description.sdp ?? '' };
        this.applyRemoteSending(sdp);
        this.setSignalingState('stable');
      } else {
        throw domError('InvalidStateError');
      }
    });
  }

  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    return this.operation(() => {
      if (!this.remoteDescription) throw domError('InvalidStateError');
      if (!candidate.candidate) throw domError('OperationError');
      this.remoteCandidates += 1;
      this.maybeConnect();
    });
  }

  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    for (const channel of this.dataChannels) channel.close();
  }

  /** Data channels made on this connection (they never open: the fake has no transport). */
  readonly dataChannels: FakeDataChannel[] = [];

  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    this.assertOpen();
    const channel = new FakeDataChannel(label, init);
    this.dataChannels.push(channel);
    return channel;
  }

  /** Test hook: ICE fails (e.g. a network change); the browser then fires connectionstatechange. */
  simulateIceFailure(): void {
    this.connectionState = 'failed';
    this.remoteCandidates = 0;
    this.dispatch('connectionstatechange', {});
  }

  private rollback(): void {
    if (this.signalingState === 'have-local-offer') {
      if (FakePeerConnection.rollbackStopsGathering && !this.remoteDescription) {
        this.gatheringBroken = true;
        this.localCandidates = 0;
      }
      rollBackLocalOffer(this.transceivers);
      this.localDescription = this.stableLocal;
    } else if (this.signalingState === 'have-remote-offer') {
      rollBackRemoteOffer(this.transceivers);
      this.remoteDescription = null;
    } else {
      throw domError('InvalidStateError');
    }
    this.setSignalingState('stable');
  }

  /** Starts and stops remote tracks as the remote side's directions say. */
  private applyRemoteSending(remote: FakeSdp): void {
    for (const line of remote.mlines) {
      const t = this.transceivers.find((x) => x.mid === line.mid);
      if (!t) continue;
      // A negotiated sender has one encoding (what getParameters shows in browsers).
      t.sender.negotiated = true;
      if (t.sender.track && t.sender.encodings.length === 0) t.sender.encodings = [{ active: true }];
      const nowSending = sends(line.direction) && receives(t.negotiatedDirection ?? 'inactive');
      const track = t.receiver.track;
      if (nowSending && !t.remoteSending) {
        const streams = line.streamIds.map((id) => {
          let stream = this.remoteStreams.get(id);
          if (!stream) {
            stream = new FakeStream([], id);
            this.remoteStreams.set(id, stream);
          }
          stream.addTrack(track);
          return stream;
        });
        t.remoteSending = true;
        queueMicrotask(() => this.dispatch('track', { track, streams, transceiver: t, receiver: t.receiver }));
      } else if (!nowSending && t.remoteSending) {
        t.remoteSending = false;
        for (const stream of this.remoteStreams.values()) stream.removeTrackFromRemote(track);
      }
    }
  }

  private setSignalingState(state: RTCSignalingState): void {
    this.signalingState = state;
    this.dispatch('signalingstatechange', {});
    if (state === 'stable') {
      this.maybeConnect();
      this.updateNegotiationNeeded();
    }
  }

  private negotiationNeeded(): boolean {
    return this.iceRestartPending || transceiversNeedNegotiation(this.transceivers);
  }

  private updateNegotiationNeeded(): void {
    if (this.negotiationNeededScheduled || this.signalingState === 'closed') return;
    this.negotiationNeededScheduled = true;
    // Fired as a task, after the current operations, like the spec's "queue a task".
    setTimeout(() => {
      this.negotiationNeededScheduled = false;
      void this.chain.then(() => {
        if (this.signalingState === 'stable' && this.negotiationNeeded()) this.dispatch('negotiationneeded', {});
      });
    }, 0);
  }

  private gatherCandidate(): void {
    const ufrag = this.ufrag;
    if (this.gatheringBroken) return;
    setTimeout(() => {
      if (this.signalingState === 'closed' || this.gatheringBroken) return;
      this.localCandidates += 1;
      this.maybeConnect();
      const init = { candidate: `candidate:1 1 udp 2122260223 127.0.0.1 9 typ host ufrag ${ufrag}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag };
      this.dispatch('icecandidate', { candidate: { ...init, toJSON: () => init } });
      this.dispatch('icecandidate', { candidate: null });
    }, 0);
  }

  private maybeConnect(): void {
    if (this.signalingState !== 'stable' || !this.localDescription || !this.remoteDescription) return;
    // ICE needs local candidates (sockets to send checks from) and at least one remote one.
    if (this.remoteCandidates === 0 || this.localCandidates === 0 || this.connectionState === 'connected') return;
    this.connectionState = 'connected';
    this.dispatch('connectionstatechange', {});
  }

  private operation(fn: () => void): Promise<void> {
    if (this.signalingState === 'closed') return Promise.reject(domError('InvalidStateError'));
    const result = this.chain.then(() => {
      if (this.signalingState === 'closed') throw domError('InvalidStateError');
      fn();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  private assertOpen(): void {
    if (this.signalingState === 'closed') throw domError('InvalidStateError');
  }
}
