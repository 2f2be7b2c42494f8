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
 * - The screen has its own video and audio transceivers on every link, negotiated with the link:
 *   sharing is a `replaceTrack` on each (screenTransceivers.ts). The streams a peer sends us are told apart by
 *   their m-line (remoteStreams.ts).
 * - Everything about one peer is in one record ({@link Peer}); `connections` reads them as a map.
 * - A new link's camera starts small (`startLimits`, meshLimits.ts) and is raised to the room's limits
 *   a moment after the link connects: the first frame, which everyone waits for, comes sooner and cheaper.
 */
import { Emitter } from '../lib/emitter';
import type { ClientMessage, ServerMessage, WireIceServer } from '../signaling/messages';
import { cameraCapture } from './bandwidth';
import { CameraFit } from './cameraFit';
import { attachCamera, type LocalSenders } from './cameraSenders';
import { browserCapabilities, offersOnlyPreferred, preferCodecs, type CodecCapabilities } from './codecs';
import { ConnectionsView } from './connectionsView';
import { openFileChannel } from './fileChannel';
import { PeerLink, type PeerLinkOptions } from './peerLink';
import { RemoteStreams } from './remoteStreams';
import { safely } from './safely';
import { ScreenTransceivers } from './screenTransceivers';
import { meshLimits } from './meshLimits';
import type { SenderLimits } from './senderLimits';

/** Makes a peer connection (tests pass a fake). */
export type PeerConnectionFactory = (config: RTCConfiguration) => RTCPeerConnection;

/** Makes an empty `MediaStream` (tests pass a fake). */
export type StreamFactory = () => MediaStream;

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
  /** Makes the stream the screen senders name (default `new MediaStream()`). */
  createStream?: StreamFactory;
  /** How long after a link connects its camera is raised from the start limits, in ms. */
  rampUpMs?: number;
  /** The codecs the browser can receive (see codecs.ts; tests pass their own). */
  codecCapabilities?: CodecCapabilities;
  /** How long the room must stay unchanged before the camera's capture is fitted to it, in ms. */
  cameraFitSettleMs?: number;
}

/** Events of a {@link PeerManager}. */
export type PeerManagerEvents = {
  /** A link was added or removed. */
  peersChanged: () => void;
  /** The remote streams of `userId` changed (a track arrived or went). */
  streamsChanged: (userId: string, streams: MediaStream[]) => void;
  /** The connection state of `userId` changed. */
  connectionState: (userId: string, state: RTCPeerConnectionState) => void;
  /** A new link to `userId` has its file channel (fileChannel.ts); it closes with the link. */
  fileChannel: (userId: string, channel: RTCDataChannel) => void;
};

/** Everything the mesh holds about one remote participant. */
interface Peer {
  readonly link: PeerLink;
  /** Our senders towards them (the screen's comes with its transceiver). */
  readonly senders: LocalSenders;
  /** The transceiver our screen goes out on, once the link has one (screenTransceivers.ts). */
  screen?: RTCRtpTransceiver;
  /** The transceiver our screen's sound goes out on, once the link has one. */
  screenAudio?: RTCRtpTransceiver;
  /** The streams they send us. */
  readonly remote: RemoteStreams;
  /** While our tracks wait for their first offer: the timer after which we offer ourselves. */
  offerWait?: ReturnType<typeof setTimeout>;
}

/** Holds every peer connection of one call. */
export class PeerManager {
  private readonly peers = new Map<string, Peer>();
  /** The live connections by remote user id; the same object for the whole call. */
  readonly connections: ReadonlyMap<string, RTCPeerConnection> = new ConnectionsView(this.peers, (peer) => peer.link.pc);
  private readonly screens: ScreenTransceivers;
  private readonly events = new Emitter<PeerManagerEvents>();
  private readonly options: PeerManagerOptions;
  private readonly createPc: PeerConnectionFactory;
  private iceServers: RTCIceServer[] = [];
  private camera: MediaStream | null = null;
  private screenActive = false;
  private readonly offerWaitMs: number;
  private readonly codecCapabilities: CodecCapabilities;
  private readonly limits: SenderLimits;
  /** The camera's capture, fitted to the room (its size changes the senders' scaling). */
  private readonly cameraFit: CameraFit;
  /** People whose connection has been poor: our video to them is lowered (quality/qualityMonitor.ts). */
  private readonly lowered = new Set<string>();

  constructor(options: PeerManagerOptions) {
    this.options = options;
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.offerWaitMs = options.offerWaitMs ?? 3000;
    this.cameraFit = new CameraFit(() => this.limits.all(), options.cameraFitSettleMs ?? 1000);
    this.codecCapabilities = options.codecCapabilities ?? browserCapabilities;
    this.screens = new ScreenTransceivers(options.createStream ?? (() => new MediaStream()));
    this.limits = meshLimits(
      {
        senders: (userId) => this.peers.get(userId)?.senders,
        userIds: () => this.peers.keys(),
        peerCount: () => this.peers.size,
        camera: () => this.camera,
        screenActive: () => this.screenActive,
        lowered: (userId) => this.lowered.has(userId),
        negotiating: () => [...this.peers.values()].some(({ link }) => link.alive && link.pc.signalingState !== 'stable'),
      },
      options.rampUpMs ?? 1000,
    );
  }

  /**
   * The id of the stream our screen senders name on every link (the `streamId` of
   * `startScreenShare`); it stays the same for the whole call.
   */
  get screenStreamId(): string {
    return this.screens.streamId;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** The link to `userId`, if any (tests and diagnostics). */
  link(userId: string): PeerLink | undefined {
    return this.peers.get(userId)?.link;
  }

  /** The remote streams `userId` sends us: camera first, then the screen's. */
  streamsOf(userId: string): MediaStream[] {
    return this.peers.get(userId)?.remote.all() ?? [];
  }

  /** The camera (and microphone) stream `userId` sends us, once it arrived. */
  cameraOf(userId: string): MediaStream | null {
    return this.peers.get(userId)?.remote.camera() ?? null;
  }

  /**
   * The screen streams of `userId` (one, received from the start of the link; it carries frames
   * only while they share).
   */
  screensOf(userId: string): MediaStream[] {
    return this.peers.get(userId)?.remote.screens() ?? [];
  }

  /** Feeds one server message; ignores types that are not about peers. */
  handle(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        // A rejoin (reconnect, server restart) brings fresh TURN credentials too.
        this.useIceServers(message.payload.iceServers);
        // We are the newcomer: our tracks go on at once, and we offer to everyone. Every link is
        // made before the first offer: making one (constructor, tracks, transceivers, channel)
        // is a row of blocking calls into WebRTC's signaling thread, which would otherwise wait
        // behind the previous link's offer there, one link after the other on the main thread.
        this.makeOffers(message.payload.users.map((user) => user.userId));
        break;
      case 'iceServers':
        this.useIceServers(message.payload.iceServers);
        break;
      case 'userJoined':
        // The newcomer offers to us; adding our tracks now would make us offer too (glare on
        // every join), so they go on when the newcomer's offer arrives (or after a while if it
        // never does: a newcomer with nothing to send does not offer).
        this.ensureLink(message.payload.userId, 'wait');
        break;
      case 'userLeft':
        this.removeLink(message.payload.userId);
        break;
      case 'offer':
      case 'answer': {
        const userId = message.payload.senderId;
        // An answer only makes sense on a link we have; an offer may come before its userJoined
        // is handled (e.g. across our own reconnect), so it makes one.
        if (message.type === 'answer' && !this.peers.has(userId)) break;
        const link = this.ensureLink(userId, 'answer');
        // Before setRemoteDescription, so the offer's m-lines take our tracks' transceivers.
        this.attachDeferred(userId, false);
        void link.handleDescription(message.payload.sdp);
        break;
      }
      case 'iceCandidate':
        void this.peers.get(message.payload.senderId)?.link.handleCandidate(message.payload.candidate);
        break;
      default:
        break;
    }
  }

  /**
   * The ICE servers for new connections and, for their next ICE restart, the ones we have (fresh
   * TURN credentials replace expiring ones).
   */
  private useIceServers(servers: WireIceServer[]): void {
    this.iceServers = servers.map(toIceServer);
    for (const { link } of this.peers.values()) {
      if (link.alive) safely(() => link.pc.setConfiguration({ ...link.pc.getConfiguration(), iceServers: this.iceServers }));
    }
  }

  /**
   * Sets the camera/microphone stream sent to everyone (null: send nothing). Tracks of a kind we
   * already send are swapped with `replaceTrack`, which needs no renegotiation.
   */
  setCameraStream(stream: MediaStream | null): void {
    this.camera = stream;
    for (const peer of this.peers.values()) if (peer.offerWait === undefined) this.attachCamera(peer);
    this.roomChanged();
  }

  /**
   * Starts (a stream) or stops (null) sending the screen to every peer, present and future: a
   * `replaceTrack` on each link's screen transceiver, no renegotiation.
   */
  setScreenStream(stream: MediaStream | null): void {
    if (!this.screens.setStream(stream)) return;
    const sending = this.screens.track() !== null;
    for (const peer of this.peers.values()) {
      if (this.screens.send(peer)) continue;
      if (sending && peer.offerWait === undefined && peer.link.pc.remoteDescription) {
        // The link was negotiated from an offer without a screen (or screen audio) m-line (a client
        // older than this design): add the missing ones, which renegotiates.
        this.screens.add(peer, peer.link.pc);
      }
    }
    this.limits.all();
  }

  /** Tells the manager whether anyone in the room shares a screen (the camera steps back then). */
  setScreenActive(active: boolean): void {
    if (active === this.screenActive) return;
    this.screenActive = active;
    this.roomChanged();
  }

  /** Lowers (true) or restores (false) our video to `userId` alone, on that connection's senders. */
  setLowered(userId: string, lowered: boolean): void {
    if (lowered === this.lowered.has(userId)) return;
    if (lowered) this.lowered.add(userId);
    else this.lowered.delete(userId);
    this.limits.link(userId);
  }

  /** Closes every connection (leaving the call). */
  closeAll(): void {
    for (const userId of [...this.peers.keys()]) this.removeLink(userId);
    this.cameraFit.cancel();
  }

  /** Links to `userIds` (made where needed), then an offer on each new one. */
  private makeOffers(userIds: string[]): void {
    const fresh = userIds.filter((userId) => !this.peers.get(userId)?.link.alive);
    const links = userIds.map((userId) => this.ensureLink(userId, 'offer'));
    for (const link of links) if (fresh.includes(link.remoteId)) void link.offer();
  }

  /**
   * The link to `userId`, made if needed: `offer` (we are the newcomer) adds our tracks, and the
   * caller offers; `wait` (they are) waits for their offer; `answer` (their offer is here) adds our
   * tracks for the offer's m-lines to take.
   */
  private ensureLink(userId: string, mode: 'offer' | 'wait' | 'answer'): PeerLink {
    const existing = this.peers.get(userId)?.link;
    if (existing?.alive) return existing;
    if (existing) this.removeLink(userId);
    // One ICE transport for every m-line from the start: fewer candidates to gather, send and check.
    const pc = this.createPc({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
    const link = new PeerLink({
      selfId: this.options.selfId,
      remoteId: userId,
      pc,
      send: this.options.send,
      onTrack: (event) => peer.remote.trackArrived(pc, event),
      onStateChange: (state) => {
        if (state === 'connected') this.limits.connected(userId);
        this.events.emit('connectionState', userId, state);
      },
      // After any negotiation: the new link's senders now have encodings, and the room size
      // (which every sender's limits depend on) may have changed.
      onStable: () => this.limits.all(),
      onRemoteOffer: (sdp) => {
        this.screens.adopt(peer, pc);
        // An offer that lists only our codecs (another Parley) gets an answer with only those:
        // no setCodecPreferences, five blocking calls per link on the way to the first frame.
        if (!offersOnlyPreferred(sdp)) preferCodecs(pc, this.codecCapabilities);
      },
      onBeforeOffer: () => preferCodecs(pc, this.codecCapabilities),
      onError: this.options.onError,
      stallTimeoutMs: this.options.stallTimeoutMs,
    });
    const peer: Peer = {
      link,
      senders: {},
      remote: new RemoteStreams(() => this.events.emit('streamsChanged', userId, this.streamsOf(userId))),
    };
    this.peers.set(userId, peer);
    if (mode === 'wait') {
      peer.offerWait = setTimeout(() => this.attachDeferred(userId, true), this.offerWaitMs);
    } else if (mode === 'answer') {
      this.attachCamera(peer);
    } else {
      // All in one go, then one offer with every m-line.
      this.attachCamera(peer, userId);
      // We offer: ask to receive the kinds we do not send, so that our offer carries an m-line
      // for each kind and the other side's tracks fit in one negotiation (and so that someone
      // with no camera or microphone still offers at all).
      if (!peer.senders.audio) safely(() => pc.addTransceiver('audio', { direction: 'recvonly' }));
      if (!peer.senders.camera) safely(() => pc.addTransceiver('video', { direction: 'recvonly' }));
      // After the camera's video m-line: the second video m-line is the screen's, the second
      // audio m-line its sound.
      this.screens.add(peer, pc);
    }
    if (mode === 'offer') {
      // Before the offer, so that it carries the data m-line (fileChannel.ts).
      this.openFiles(userId, pc);
      // Now rather than just before the offer (onBeforeOffer then finds it done): made while the
      // page's other links' offers are under way, these blocking calls would wait behind them.
      preferCodecs(pc, this.codecCapabilities);
    }
    // No limits here: the senders get theirs when this negotiation ends (onStable), before the
    // link connects and sends a frame. Set now, getParameters would be a blocking call into
    // WebRTC's signaling thread, busy with this very offer, holding up the main thread (and the
    // next link, the answers, the page) on the way to the first frame.
    this.fitCamera();
    this.events.emit('peersChanged');
    // With our tracks (a channel made while we wait would fire negotiationneeded: glare).
    if (mode === 'answer') this.openFiles(userId, pc);
    return link;
  }

  /**
   * Adds our tracks to a link that was waiting for the newcomer's offer (the screen transceiver
   * then comes from that offer), or that waited in vain (`offering`: we make the offer, with one).
   */
  private attachDeferred(userId: string, offering: boolean): void {
    const peer = this.peers.get(userId);
    if (peer?.offerWait === undefined) return;
    clearTimeout(peer.offerWait);
    peer.offerWait = undefined;
    this.attachCamera(peer);
    if (offering) this.screens.add(peer, peer.link.pc);
    this.openFiles(userId, peer.link.pc);
    // The limits follow when this negotiation ends (onStable; see ensureLink).
    if (offering) void peer.link.offer();
  }

  /** Makes the file channel of a new link and hands it to the listeners (fileChannel.ts). */
  private openFiles(userId: string, pc: RTCPeerConnection): void {
    this.events.emit('fileChannel', userId, openFileChannel(pc));
  }

  private removeLink(userId: string): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    peer.link.close();
    clearTimeout(peer.offerWait);
    this.limits.forget(userId);
    this.lowered.delete(userId);
    this.peers.delete(userId);
    this.events.emit('streamsChanged', userId, []);
    this.events.emit('peersChanged');
    this.roomChanged();
  }

  /** Puts our camera and microphone on the link (cameraSenders.ts); `offering`: the peer we offer to. */
  private attachCamera(peer: Peer, offering?: string): void {
    attachCamera(peer.link.pc, peer.senders, this.camera, {
      start: offering === undefined ? undefined : this.limits.cameraStart(offering),
      made: (sender, limits) => this.limits.preset(sender, limits),
      onError: this.options.onError,
    });
  }

  /** Every sender's limits and the camera's capture follow the room as it is now. */
  private roomChanged(): void {
    this.limits.all();
    this.fitCamera();
  }

  /** Fits the camera's capture to the room as it is now (bandwidth.ts). */
  private fitCamera(): void {
    this.cameraFit.fit(this.camera?.getVideoTracks()[0], cameraCapture(this.peers.size, this.screenActive));
  }
}

function toIceServer(server: WireIceServer): RTCIceServer {
  return { ...server };
}
