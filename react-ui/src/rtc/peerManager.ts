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
 * - The screen has its own video transceiver on every link, negotiated with the link (the offerer
 *   makes it, the answerer takes the offer's): starting or stopping a share is a `replaceTrack` on
 *   each, with no renegotiation. Its sender always names one stream (`screenStreamId`, the same on
 *   every link for the whole call), the id `startScreenShare` announces, so receivers tell the
 *   screen from the camera. Each link's m-lines are audio, camera video, screen video, in that
 *   order; a video transceiver other than the first is a screen.
 * - A new link's camera starts small (see `startLimits`) and is raised to the room's limits a moment
 *   after the link connects: the first frame, which everyone waits for, comes sooner and cheaper.
 */
import { Emitter } from '../lib/emitter';
import type { ClientMessage, ServerMessage, WireIceServer } from '../signaling/messages';
import { cameraCapture, encodingLimits, startLimits, type EncodingLimits, type SenderRole } from './bandwidth';
import { CameraFit } from './cameraFit';
import { browserCapabilities, preferCodecs, type CodecCapabilities } from './codecs';
import { PeerLink, type PeerLinkOptions } from './peerLink';
import { SenderLimits, type LimitedSenders } from './senderLimits';

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

/** Our senders towards one peer: the limited ones (camera, screen) and the microphone's. */
interface LocalSenders extends LimitedSenders {
  audio?: RTCRtpSender;
}

/** Holds every peer connection of one call. */
export class PeerManager {
  /** The live connections by remote user id; the same `Map` object for the whole call. */
  readonly connections = new Map<string, RTCPeerConnection>();
  private readonly links = new Map<string, PeerLink>();
  private readonly senders = new Map<string, LocalSenders>();
  private readonly remoteStreams = new Map<string, Map<string, RemoteStream>>();
  /** Per link, the transceiver our screen goes out on. */
  private readonly screenTransceivers = new Map<string, RTCRtpTransceiver>();
  private screenStreamValue: MediaStream | null = null;
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
  private readonly codecCapabilities: CodecCapabilities;
  private readonly limits: SenderLimits;
  /** The camera's capture, fitted to the room (its size changes the senders' scaling). */
  private readonly cameraFit = new CameraFit(() => this.limits.all());

  constructor(options: PeerManagerOptions) {
    this.options = options;
    this.createPc = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.offerWaitMs = options.offerWaitMs ?? 3000;
    this.codecCapabilities = options.codecCapabilities ?? browserCapabilities;
    this.limits = new SenderLimits({
      rampUpMs: options.rampUpMs ?? 1000,
      senders: (userId) => this.senders.get(userId),
      userIds: () => this.senders.keys(),
      limits: (role, rampedUp) => this.limitsFor(role, rampedUp),
    });
  }

  /**
   * The id of the stream our screen senders name on every link (the `streamId` of
   * `startScreenShare`); it stays the same for the whole call.
   */
  get screenStreamId(): string {
    return this.screenMsid.id;
  }

  private get screenMsid(): MediaStream {
    this.screenStreamValue ??= (this.options.createStream ?? (() => new MediaStream()))();
    return this.screenStreamValue;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** The link to `userId`, if any (tests and diagnostics). */
  link(userId: string): PeerLink | undefined {
    return this.links.get(userId);
  }

  /** The remote streams `userId` sends us: camera first, then the screen's. */
  streamsOf(userId: string): MediaStream[] {
    const camera = this.cameraOf(userId);
    return [...(camera ? [camera] : []), ...this.screensOf(userId)];
  }

  /** The camera (and microphone) stream `userId` sends us, once it arrived. */
  cameraOf(userId: string): MediaStream | null {
    for (const entry of this.remoteStreams.get(userId)?.values() ?? []) if (!entry.screen) return entry.stream;
    return null;
  }

  /**
   * The screen streams of `userId` (one, received from the start of the link; it carries frames
   * only while they share).
   */
  screensOf(userId: string): MediaStream[] {
    return [...(this.remoteStreams.get(userId)?.values() ?? [])].filter((e) => e.screen).map((e) => e.stream);
  }

  /** Feeds one server message; ignores types that are not about peers. */
  handle(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        // A rejoin (reconnect, server restart) brings fresh TURN credentials too.
        this.useIceServers(message.payload.iceServers);
        // We are the newcomer: our tracks go on at once, and we offer to everyone.
        for (const user of message.payload.users) this.ensureLink(user.userId, 'offer');
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
        if (message.type === 'answer' && !this.links.has(userId)) break;
        const link = this.ensureLink(userId, 'answer');
        // Before setRemoteDescription, so the offer's m-lines take our tracks' transceivers.
        this.attachDeferred(userId, false);
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
   * The ICE servers for new connections and, for their next ICE restart, the ones we have (fresh
   * TURN credentials replace expiring ones).
   */
  private useIceServers(servers: WireIceServer[]): void {
    this.iceServers = servers.map(toIceServer);
    for (const link of this.links.values()) {
      if (link.alive) safely(() => link.pc.setConfiguration({ ...link.pc.getConfiguration(), iceServers: this.iceServers }));
    }
  }

  /**
   * Sets the camera/microphone stream sent to everyone (null: send nothing). Tracks of a kind we
   * already send are swapped with `replaceTrack`, which needs no renegotiation.
   */
  setCameraStream(stream: MediaStream | null): void {
    this.camera = stream;
    for (const [userId, link] of this.links) if (!this.deferred.has(userId)) this.attachCamera(userId, link.pc);
    this.roomChanged();
  }

  /**
   * Starts (a stream) or stops (null) sending the screen to every peer, present and future: a
   * `replaceTrack` on each link's screen transceiver, no renegotiation.
   */
  setScreenStream(stream: MediaStream | null): void {
    if (stream === this.screen) return;
    this.screen = stream;
    const track = this.screenTrack();
    for (const [userId, link] of this.links) {
      const transceiver = this.screenTransceivers.get(userId);
      if (transceiver) {
        this.replace(transceiver.sender, track);
      } else if (track && !this.deferred.has(userId) && link.pc.remoteDescription) {
        // The link was negotiated from an offer without a screen m-line (a client older than
        // this design): add one, which renegotiates.
        this.addScreenTransceiver(userId, link.pc);
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

  /** Closes every connection (leaving the call). */
  closeAll(): void {
    for (const userId of [...this.links.keys()]) this.removeLink(userId);
  }

  /**
   * The link to `userId`, made if needed: `offer` (we are the newcomer) adds our tracks and offers
   * at once; `wait` (they are) waits for their offer; `answer` (their offer is here) adds our
   * tracks for the offer's m-lines to take.
   */
  private ensureLink(userId: string, mode: 'offer' | 'wait' | 'answer'): PeerLink {
    const existing = this.links.get(userId);
    if (existing?.alive) return existing;
    if (existing) this.removeLink(userId);
    // One ICE transport for every m-line from the start: fewer candidates to gather, send and check.
    const pc = this.createPc({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
    const link = new PeerLink({
      selfId: this.options.selfId,
      remoteId: userId,
      pc,
      send: this.options.send,
      onTrack: (event) => this.trackArrived(userId, event),
      onStateChange: (state) => {
        if (state === 'connected') this.limits.connected(userId);
        this.events.emit('connectionState', userId, state);
      },
      // After any negotiation: the new link's senders now have encodings, and the room size
      // (which every sender's limits depend on) may have changed.
      onStable: () => this.limits.all(),
      onRemoteOffer: () => {
        this.adoptScreenTransceiver(userId, pc);
        preferCodecs(pc, this.codecCapabilities);
      },
      onBeforeOffer: () => preferCodecs(pc, this.codecCapabilities),
      onError: this.options.onError,
      stallTimeoutMs: this.options.stallTimeoutMs,
    });
    this.links.set(userId, link);
    this.connections.set(userId, pc);
    if (mode === 'wait') {
      this.deferred.set(userId, setTimeout(() => this.attachDeferred(userId, true), this.offerWaitMs));
    } else if (mode === 'answer') {
      this.attachCamera(userId, pc);
    } else {
      // All in one go, then one offer with every m-line.
      this.attachCamera(userId, pc);
      // We offer: ask to receive the kinds we do not send, so that our offer carries an m-line
      // for each kind and the other side's tracks fit in one negotiation (and so that someone
      // with no camera or microphone still offers at all).
      const senders = this.sendersOf(userId);
      if (!senders.audio) safely(() => pc.addTransceiver('audio', { direction: 'recvonly' }));
      if (!senders.camera) safely(() => pc.addTransceiver('video', { direction: 'recvonly' }));
      // After the camera's video m-line: the second video m-line is the screen's.
      this.addScreenTransceiver(userId, pc);
    }
    // The offer first: it is what the join waits for; the rest can happen while it is made.
    if (mode === 'offer') void link.offer();
    this.limits.link(userId);
    this.fitCamera();
    this.events.emit('peersChanged');
    return link;
  }

  /**
   * Adds our tracks to a link that was waiting for the newcomer's offer (the screen transceiver
   * then comes from that offer), or that waited in vain (`offering`: we make the offer, with one).
   */
  private attachDeferred(userId: string, offering: boolean): void {
    const timer = this.deferred.get(userId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.deferred.delete(userId);
    const link = this.links.get(userId);
    if (!link) return;
    this.attachCamera(userId, link.pc);
    if (offering && !this.screenTransceivers.has(userId)) this.addScreenTransceiver(userId, link.pc);
    this.limits.link(userId);
    if (offering) void link.offer();
  }

  private removeLink(userId: string): void {
    const link = this.links.get(userId);
    if (!link) return;
    link.close();
    clearTimeout(this.deferred.get(userId));
    this.deferred.delete(userId);
    this.limits.forget(userId);
    this.links.delete(userId);
    this.connections.delete(userId);
    this.senders.delete(userId);
    this.screenTransceivers.delete(userId);
    this.remoteStreams.delete(userId);
    this.events.emit('streamsChanged', userId, []);
    this.events.emit('peersChanged');
    this.roomChanged();
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

  /** A screen transceiver of our own (we offer, or the other side's offer had none). */
  private addScreenTransceiver(userId: string, pc: RTCPeerConnection): void {
    let transceiver: RTCRtpTransceiver | null = null;
    safely(() => {
      transceiver = pc.addTransceiver('video', { direction: 'sendrecv', streams: [this.screenMsid] });
    });
    if (transceiver) this.useScreenTransceiver(userId, transceiver);
  }

  /**
   * After a remote offer was applied, before we answer: the offer's screen m-line (its second
   * video m-line) is where our screen goes. Setting its direction and stream here puts them in
   * this answer, so the screen needs no negotiation of its own later.
   */
  private adoptScreenTransceiver(userId: string, pc: RTCPeerConnection): void {
    const current = this.screenTransceivers.get(userId);
    if (current && current.mid !== null) return;
    const offered = videoTransceivers(pc)[1];
    if (!offered || offered === current) return;
    // Ours lost its m-line (we rolled our offer back in glare): it would only add a useless one.
    if (current) safely(() => current.stop());
    safely(() => {
      offered.direction = 'sendrecv';
      offered.sender.setStreams(this.screenMsid);
    });
    this.useScreenTransceiver(userId, offered);
  }

  private useScreenTransceiver(userId: string, transceiver: RTCRtpTransceiver): void {
    this.screenTransceivers.set(userId, transceiver);
    this.sendersOf(userId).screen = transceiver.sender;
    this.replace(transceiver.sender, this.screenTrack());
  }

  private screenTrack(): MediaStreamTrack | null {
    return this.screen?.getVideoTracks()[0] ?? null;
  }

  private replace(sender: RTCRtpSender, track: MediaStreamTrack | null): void {
    if (sender.track === track) return;
    // Rejects only when the connection closed meanwhile.
    void sender.replaceTrack(track).catch(() => undefined);
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
    const pc = this.links.get(userId)?.pc;
    // Any video m-line after the first (the camera's) carries a screen.
    const screen = Boolean(pc && event.track.kind === 'video' && videoTransceivers(pc)[0] !== event.transceiver);
    for (const stream of event.streams) {
      if (streams.has(stream.id)) continue;
      streams.set(stream.id, { stream, screen });
      // A screen share that ends removes its track from the remote stream.
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.remoteStreams.get(userId)?.delete(stream.id);
        this.events.emit('streamsChanged', userId, this.streamsOf(userId));
      });
    }
    this.events.emit('streamsChanged', userId, this.streamsOf(userId));
  }

  /** Every sender's limits and the camera's capture follow the room as it is now. */
  private roomChanged(): void {
    this.limits.all();
    this.fitCamera();
  }

  /** Fits the camera's capture to the room as it is now (bandwidth.ts). */
  private fitCamera(): void {
    this.cameraFit.fit(this.camera?.getVideoTracks()[0], cameraCapture(this.links.size, this.screenActive));
  }

  /** The policy's limits for one of our senders (bandwidth.ts), given the room as it is now. */
  private limitsFor(role: SenderRole, rampedUp: boolean): EncodingLimits {
    const height = this.camera?.getVideoTracks()[0]?.getSettings?.().height;
    if (role === 'camera' && !rampedUp) return startLimits(height);
    return encodingLimits(role, this.links.size, this.screenActive, height);
  }
}

/** A stream a peer sends us, and whether it came on a screen m-line. */
interface RemoteStream {
  stream: MediaStream;
  screen: boolean;
}

/** The connection's negotiated video transceivers, in m-line order: camera, then screen. */
function videoTransceivers(pc: RTCPeerConnection): RTCRtpTransceiver[] {
  // getTransceivers() lists them in the order they were made; transceivers that a remote offer made
  // come in its m-line order, after our own addTrack ones that its first m-lines took.
  return pc
    .getTransceivers()
    .filter((t) => t.mid !== null && t.currentDirection !== 'stopped' && t.receiver.track.kind === 'video');
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
