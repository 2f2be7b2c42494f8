/**
 * The mesh: one {@link PeerLink} per remote participant, fed by the signaling messages and by the
 * local media (camera/microphone stream, optional screen stream). No React in here.
 *
 * - `joined`: a link for every user already in the room (we are the newcomer; our tracks fire
 *   `negotiationneeded`, so we offer to everyone).
 * - `userJoined`: a link for the newcomer, whose offer we wait for before adding our tracks (so
 *   joins cause no glare; perfect negotiation would resolve it, but needlessly, and Chromium may
 *   then fail to gather candidates, see peerLink.ts).
 * - A `joined`/`userJoined` naming someone we still have a live connection to (everyone rejoins
 *   after a server restart) keeps that connection.
 * - `userLeft`: the link is closed and forgotten.
 * - The screen is an extra video track beside the camera, added to every link and to links made
 *   later, and removed from all of them when the share ends.
 */
import { Emitter } from '../lib/emitter';
import type { ClientMessage, ServerMessage, WireIceServer } from '../signaling/messages';
import { applyEncodingLimits, encodingLimits, type SenderRole } from './bandwidth';
import { PeerLink, type PeerLinkOptions } from './peerLink';

/** Makes a peer connection (tests pass a fake). */
export type PeerConnectionFactory = (config: RTCConfiguration) => RTCPeerConnection;

/** Settings of a {@link PeerManager}. */
export interface PeerManagerOptions {
  selfId: string;
  /** Sends `offer` / `answer` / `iceCandidate` through the signaling connection. */
  send: (message: ClientMessage) => void;
  createPeerConnection?: PeerConnectionFactory;
  onError?: (error: unknown) => void;
  /** How long a link made on `userJoined` waits for the newcomer's offer before offering itself. */
  offerWaitMs?: number;
  /** See {@link PeerLinkOptions.stallTimeoutMs}. */
  stallTimeoutMs?: number;
}

/** Events of a {@link PeerManager}. */
export type PeerManagerEvents = {
  /** A link was added or removed. */
  peersChanged: () => void;
  /** The remote streams of `userId` changed (a track arrived or went). */
  streamsChanged: (userId: string, streams: MediaStream[]) => void;
  /** The connection state of `userId` changed. */
  connectionState: (userId: string, state: RTCPeerConnectionState) => void;
};

interface LocalSenders {
  audio?: RTCRtpSender;
  camera?: RTCRtpSender;
  screen?: RTCRtpSender;
}

/** Holds every peer connection of one call. */
export class PeerManager {
  /** The live connections by remote user id; the same `Map` object for the whole call. */
  readonly connections = new Map<string, RTCPeerConnection>();
  private readonly links = new Map<string, PeerLink>();
  private readonly senders = new Map<string, LocalSenders>();
  private readonly remoteStreams = new Map<string, Map<string, MediaStream>>();
  private readonly events = new Emitter<PeerManagerEvents>();
  private readonly options: PeerManagerOptions;
  private readonly createPc: PeerConnectionFactory;
  private iceServers: RTCIceServer[] = [];
  private camera: MediaStream | null = null;
  private screen: MediaStream | null = null;
  private screenActive = false;
  /** Links whose tracks wait for the remote side's first offer, with the fallback timer. */
  private readonly deferred = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly offerWaitMs: number;

  constructor(options: PeerManagerOptions) {
    this.options = options;
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.offerWaitMs = options.offerWaitMs ?? 3000;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** The link to `userId`, if any (tests and diagnostics). */
  link(userId: string): PeerLink | undefined {
    return this.links.get(userId);
  }

  /** The remote streams `userId` sends us (camera and, while sharing, screen). */
  streamsOf(userId: string): MediaStream[] {
    return [...(this.remoteStreams.get(userId)?.values() ?? [])];
  }

  /** Feeds one server message; ignores types that are not about peers. */
  handle(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        this.iceServers = message.payload.iceServers.map(toIceServer);
        // We are the newcomer: our tracks go on at once, so we offer to everyone.
        for (const user of message.payload.users) this.ensureLink(user.userId, false);
        break;
      case 'userJoined':
        // The newcomer offers to us; adding our tracks now would make us offer too (glare on
        // every join), so they go on when the newcomer's offer arrives (or after a while if it
        // never does: a newcomer with nothing to send does not offer).
        this.ensureLink(message.payload.userId, true);
        break;
      case 'userLeft':
        this.removeLink(message.payload.userId);
        break;
      case 'offer':
      case 'answer': {
        const userId = message.payload.senderId;
        // An answer only makes sense on a link we have; an offer may come before its userJoined
        // is handled (e.g. across our own reconnect), so it makes one.
        if (message.type === 'answer' && !this.links.has(userId)) break;
        const link = this.ensureLink(userId, false);
        // Before setRemoteDescription, so the offer's m-lines take our tracks' transceivers.
        this.attachDeferred(userId);
        void link.handleDescription(message.payload.sdp);
        break;
      }
      case 'iceCandidate':
        void this.links.get(message.payload.senderId)?.handleCandidate(message.payload.candidate);
        break;
      default:
        break;
    }
  }

  /**
   * Sets the camera/microphone stream sent to everyone (null: send nothing). Tracks of a kind we
   * already send are swapped with `replaceTrack`, which needs no renegotiation.
   */
  setCameraStream(stream: MediaStream | null): void {
    this.camera = stream;
    for (const [userId, link] of this.links) if (!this.deferred.has(userId)) this.attachCamera(userId, link.pc);
    this.applyLimits();
  }

  /** Starts (a stream) or stops (null) sending the screen to every peer, present and future. */
  setScreenStream(stream: MediaStream | null): void {
    if (stream === this.screen) return;
    const previous = this.screen;
    this.screen = stream;
    for (const [userId, link] of this.links) {
      const senders = this.sendersOf(userId);
      if (previous && senders.screen) {
        safely(() => link.pc.removeTrack(senders.screen!));
        delete senders.screen;
      }
      if (!this.deferred.has(userId)) this.attachScreen(userId, link.pc);
    }
    this.applyLimits();
  }

  /** Tells the manager whether anyone in the room shares a screen (the camera steps back then). */
  setScreenActive(active: boolean): void {
    if (active === this.screenActive) return;
    this.screenActive = active;
    this.applyLimits();
  }

  /** Closes every connection (leaving the call). */
  closeAll(): void {
    for (const userId of [...this.links.keys()]) this.removeLink(userId);
  }

  private ensureLink(userId: string, waitForOffer: boolean): PeerLink {
    const existing = this.links.get(userId);
    if (existing?.alive) return existing;
    if (existing) this.removeLink(userId);
    const pc = this.createPc({ iceServers: this.iceServers });
    const link = new PeerLink({
      selfId: this.options.selfId,
      remoteId: userId,
      pc,
      send: this.options.send,
      onTrack: (event) => this.trackArrived(userId, event),
      onStateChange: (state) => this.events.emit('connectionState', userId, state),
      // After any negotiation: the new link's senders now have encodings, and the room size
      // (which every sender's limits depend on) may have changed.
      onStable: () => this.applyLimits(),
      onError: this.options.onError,
      stallTimeoutMs: this.options.stallTimeoutMs,
    });
    this.links.set(userId, link);
    this.connections.set(userId, pc);
    if (waitForOffer) {
      this.deferred.set(userId, setTimeout(() => this.attachDeferred(userId), this.offerWaitMs));
    } else {
      this.attachCamera(userId, pc);
      this.attachScreen(userId, pc);
      // We offer: ask to receive the kinds we do not send, so that our offer carries an m-line
      // for each kind and the other side's tracks fit in one negotiation (and so that someone
      // with no camera or microphone still offers at all).
      const senders = this.sendersOf(userId);
      if (!senders.audio) safely(() => pc.addTransceiver('audio', { direction: 'recvonly' }));
      if (!senders.camera) safely(() => pc.addTransceiver('video', { direction: 'recvonly' }));
    }
    this.events.emit('peersChanged');
    return link;
  }

  /** Adds our tracks to a link that was waiting for the newcomer's offer. */
  private attachDeferred(userId: string): void {
    const timer = this.deferred.get(userId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.deferred.delete(userId);
    const link = this.links.get(userId);
    if (!link) return;
    this.attachCamera(userId, link.pc);
    this.attachScreen(userId, link.pc);
  }

  private removeLink(userId: string): void {
    const link = this.links.get(userId);
    if (!link) return;
    link.close();
    clearTimeout(this.deferred.get(userId));
    this.deferred.delete(userId);
    this.links.delete(userId);
    this.connections.delete(userId);
    this.senders.delete(userId);
    this.remoteStreams.delete(userId);
    this.events.emit('streamsChanged', userId, []);
    this.events.emit('peersChanged');
    this.applyLimits();
  }

  private attachCamera(userId: string, pc: RTCPeerConnection): void {
    const senders = this.sendersOf(userId);
    const stream = this.camera;
    for (const [kind, key] of [
      ['audio', 'audio'],
      ['video', 'camera'],
    ] as const) {
      const track = stream?.getTracks().find((t) => t.kind === kind) ?? null;
      const sender = senders[key];
      if (sender) {
        if (sender.track !== track) void sender.replaceTrack(track).catch(this.options.onError);
      } else if (track && stream) {
        senders[key] = pc.addTrack(track, stream);
      }
    }
  }

  private attachScreen(userId: string, pc: RTCPeerConnection): void {
    const track = this.screen?.getVideoTracks()[0];
    const senders = this.sendersOf(userId);
    if (track && this.screen && !senders.screen) senders.screen = pc.addTrack(track, this.screen);
  }

  private sendersOf(userId: string): LocalSenders {
    let senders = this.senders.get(userId);
    if (!senders) {
      senders = {};
      this.senders.set(userId, senders);
    }
    return senders;
  }

  private trackArrived(userId: string, event: RTCTrackEvent): void {
    let streams = this.remoteStreams.get(userId);
    if (!streams) {
      streams = new Map();
      this.remoteStreams.set(userId, streams);
    }
    for (const stream of event.streams) {
      if (streams.has(stream.id)) continue;
      streams.set(stream.id, stream);
      // A screen share that ends removes its track from the remote stream.
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.remoteStreams.get(userId)?.delete(stream.id);
        this.events.emit('streamsChanged', userId, this.streamsOf(userId));
      });
    }
    this.events.emit('streamsChanged', userId, this.streamsOf(userId));
  }

  /** Sets bitrate and resolution limits on all our senders. */
  private applyLimits(): void {
    const peerCount = this.links.size;
    for (const senders of this.senders.values()) {
      for (const role of ['audio', 'camera', 'screen'] as SenderRole[]) {
        const sender = senders[role];
        if (sender) void applyEncodingLimits(sender, encodingLimits(role, peerCount, this.screenActive));
      }
    }
  }
}

function toIceServer(server: WireIceServer): RTCIceServer {
  return { ...server };
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The connection closed meanwhile.
  }
}
