/**
 * Media in an SFU room (issue 16, docs/protocol.md "SFU rooms"): one publishing RTCPeerConnection
 * (microphone, camera, and the screen as an extra video track while we share) and one subscribing
 * connection carrying everyone else's media, both negotiated through Parley's `sfuOffer`,
 * `sfuAnswer` and `sfuCandidate` messages; the server drives the media server. The subscribe
 * offer's `streams` say which person (and camera or screen) each m-line carries. No React.
 */
import type { CaptureFit } from '../media/localMedia';
import { CameraFit } from '../rtc/cameraFit';
import type { ClientMessage, ServerMessage, SfuLayer, SfuPc, WireIceServer, WireSfuStream } from '../signaling/messages';

/**
 * The camera's three simulcast layers (docs/protocol.md "SFU rooms"): the full picture, half and a
 * quarter of it, each capped so the three together cost about what one mesh copy did. The SFU
 * forwards to each subscriber the one its tile needs (see layerPolicy.ts).
 */
export const CAMERA_LAYERS: RTCRtpEncodingParameters[] = [
  { rid: 'h', maxBitrate: 800_000 },
  { rid: 'm', maxBitrate: 300_000, scaleResolutionDownBy: 2 },
  { rid: 'l', maxBitrate: 100_000, scaleResolutionDownBy: 4 },
];

/**
 * What the camera captures in an SFU room: the full layer's size. The mesh fits the capture to its
 * room (bandwidth.ts) and leaves it at whatever its last size was when the room moves; here one
 * encoder of three layers serves everyone, so the size no longer shrinks with the room. 540 lines
 * (not 720): the three layers cost a 2-core laptop about one 720p encode, and 540 is the smallest
 * size at which Chromium sends all three layers (below it, it drops layers on its own).
 */
export const SFU_CAPTURE: CaptureFit = { height: 540, frameRate: 24 };

/** The screen goes as one layer at full quality: text must stay sharp for everyone. */
export const SCREEN_ENCODING: RTCRtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];

/** What one remote person sends us through the SFU. */
interface RemoteMedia {
  camera: MediaStream;
  screen: MediaStream | null;
}

/** Settings of {@link SfuMedia}. */
export interface SfuMediaOptions {
  send: (message: ClientMessage) => void;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  createStream?: () => MediaStream;
  /** A remote stream arrived or went, or a connection's state changed. */
  onChange: () => void;
  onError?: (error: unknown) => void;
}

/** Our two connections to the SFU and what arrives on the second. */
export class SfuMedia {
  /** The open connections by role, what `window.__parley`-style counters and the quality monitor read. */
  readonly connections = new Map<SfuPc, RTCPeerConnection>();
  private readonly options: SfuMediaOptions;
  private iceServers: RTCIceServer[] = [];
  private publish: RTCPeerConnection | null = null;
  private subscribe: RTCPeerConnection | null = null;
  private screenSender: RTCRtpSender | null = null;
  private screenSoundSender: RTCRtpSender | null = null;
  private screen: MediaStream | null = null;
  private streams = new Map<string, WireSfuStream>(); // mid -> whose media
  private readonly remote = new Map<string, RemoteMedia>();
  /** Negotiations of the publishing connection run one after the other. */
  private publishing: Promise<void> = Promise.resolve();
  private answering: Promise<void> = Promise.resolve();
  private closed = false;
  /** Bumped by `restart`: work queued for older connections sees it changed and stops. */
  private generation = 0;
  /** The layer this page wants of each person's camera, and what the server was last told. */
  private wantedLayers: ReadonlyMap<string, SfuLayer> = new Map();
  private readonly sentLayers = new Map<string, SfuLayer>();
  private readonly cameraFit = new CameraFit(() => undefined);

  constructor(options: SfuMediaOptions) {
    this.options = options;
  }

  /** Starts publishing `camera` (its microphone and camera tracks; either may be missing). */
  start(iceServers: readonly WireIceServer[], camera: MediaStream | null): void {
    this.iceServers = iceServers as RTCIceServer[];
    const pc = this.open('publish');
    this.publish = pc;
    // Always one audio and one video m-line (sendonly), so the server's mapping rule holds: the
    // first video is the camera, a later one the screen.
    const audio = camera?.getAudioTracks()[0];
    const video = camera?.getVideoTracks()[0];
    const streams = camera ? [camera] : [];
    if (audio) pc.addTransceiver(audio, { direction: 'sendonly', streams });
    else pc.addTransceiver('audio', { direction: 'sendonly' });
    this.cameraFit.fit(video, SFU_CAPTURE);
    const sendEncodings = CAMERA_LAYERS.map((layer) => ({ ...layer }));
    if (video) pc.addTransceiver(video, { direction: 'sendonly', streams, sendEncodings });
    else pc.addTransceiver('video', { direction: 'sendonly', sendEncodings });
    if (this.screen) this.setScreen(this.screen);
    else this.renegotiate();
  }

  /** The camera stream to send changed (device switch, noise suppression): same m-lines, new tracks. */
  setCamera(camera: MediaStream | null): void {
    if (!this.publish) return;
    const [audio, video] = this.publish.getTransceivers();
    this.cameraFit.fit(camera?.getVideoTracks()[0], SFU_CAPTURE);
    void audio?.sender.replaceTrack(camera?.getAudioTracks()[0] ?? null).catch(this.fail);
    void video?.sender.replaceTrack(camera?.getVideoTracks()[0] ?? null).catch(this.fail);
  }

  /**
   * Our screen share: an extra video m-line while it lasts, and its sound (a shared tab's) as an
   * extra audio m-line once a share has any (renegotiated with the server). After a share the
   * m-lines stay, silent, for the next one.
   */
  setScreen(screen: MediaStream | null): void {
    this.screen = screen;
    const pc = this.publish;
    if (!pc || this.closed) return;
    const track = screen?.getVideoTracks()[0] ?? null;
    const sound = screen?.getAudioTracks()[0] ?? null;
    let added = false;
    if (track && !this.screenSender) {
      const sendEncodings = SCREEN_ENCODING.map((encoding) => ({ ...encoding }));
      this.screenSender = pc.addTransceiver(track, { direction: 'sendonly', streams: [screen!], sendEncodings }).sender;
      added = true;
    } else if (this.screenSender) {
      void this.screenSender.replaceTrack(track).catch(this.fail);
    }
    if (sound && !this.screenSoundSender) {
      this.screenSoundSender = pc.addTransceiver(sound, { direction: 'sendonly', streams: [screen!] }).sender;
      added = true;
    } else if (this.screenSoundSender) {
      void this.screenSoundSender.replaceTrack(sound).catch(this.fail);
    }
    if (added) this.renegotiate();
  }

  /**
   * The layer this page needs of each person's camera (layerPolicy.ts): the server is told what
   * changed, for the people whose camera the subscription carries.
   */
  setLayers(layers: ReadonlyMap<string, SfuLayer>): void {
    this.wantedLayers = layers;
    this.sendLayers();
  }

  /** An SFU message from the server (others are ignored). */
  handle(message: ServerMessage): void {
    if (this.closed) return;
    if (message.type === 'joined' || message.type === 'iceServers') {
      this.iceServers = message.payload.iceServers as RTCIceServer[];
    } else if (message.type === 'sfuAnswer' && message.payload.pc === 'publish') {
      const answer = message.payload.sdp;
      this.publishing = this.publishing.then(() => this.publish?.setRemoteDescription(answer)).catch(this.fail);
    } else if (message.type === 'sfuOffer' && message.payload.pc === 'subscribe') {
      const { sdp, streams } = message.payload;
      const generation = this.generation;
      this.answering = this.answering
        .then(() => (generation === this.generation ? this.answer(sdp, streams) : undefined))
        .catch(this.fail);
    } else if (message.type === 'sfuCandidate') {
      const pc = this.connections.get(message.payload.pc);
      const candidate = message.payload.candidate;
      void pc?.addIceCandidate(candidate.candidate ? candidate : undefined).catch(this.fail);
    }
  }

  /** A person's camera (and microphone) stream, once it arrived. */
  cameraOf(userId: string): MediaStream | null {
    return this.remote.get(userId)?.camera ?? null;
  }

  /** A person's screen stream, while the SFU carries one. */
  screenOf(userId: string): MediaStream | null {
    return this.remote.get(userId)?.screen ?? null;
  }

  /** The state of the connection that brings everyone's media. */
  get state(): RTCPeerConnectionState | 'new' {
    return this.subscribe?.connectionState ?? 'new';
  }

  /**
   * The server moved the room to another media server (`sfuRestart`): the old connections lead
   * nowhere. Closes both, forgets what the old subscription carried, and starts publishing again
   * (the server then offers a new subscription).
   */
  restart(iceServers: readonly WireIceServer[], camera: MediaStream | null): void {
    if (this.closed) return;
    this.generation += 1; // negotiations still queued for the old connections stop
    for (const pc of this.connections.values()) pc.close();
    this.connections.clear();
    this.publish = null;
    this.subscribe = null;
    this.screenSender = null;
    this.streams = new Map();
    this.sentLayers.clear(); // the new subscription starts at "high": every choice is said again
    this.remote.clear();
    this.publishing = Promise.resolve();
    this.answering = Promise.resolve();
    this.options.onChange();
    this.start(iceServers, camera);
  }

  /** Closes both connections. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cameraFit.cancel();
    for (const pc of this.connections.values()) pc.close();
    this.connections.clear();
  }

  private open(role: SfuPc): RTCPeerConnection {
    const make = this.options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    const pc = make({ iceServers: this.iceServers });
    this.connections.set(role, pc);
    pc.addEventListener('icecandidate', (event) => {
      const candidate = event.candidate?.toJSON() ?? { candidate: '' };
      this.options.send({ type: 'sfuCandidate', payload: { pc: role, candidate: { candidate: candidate.candidate ?? '', sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null } } });
    });
    pc.addEventListener('connectionstatechange', () => this.options.onChange());
    return pc;
  }

  private renegotiate(): void {
    const generation = this.generation;
    this.publishing = this.publishing
      .then(async () => {
        const pc = this.publish;
        if (!pc || this.closed || generation !== this.generation) return;
        await pc.setLocalDescription(await pc.createOffer());
        const offer = pc.localDescription!;
        this.options.send({ type: 'sfuOffer', payload: { pc: 'publish', sdp: { type: 'offer', sdp: offer.sdp } } });
      })
      .catch(this.fail);
  }

  private async answer(sdp: RTCSessionDescriptionInit, streams: WireSfuStream[]): Promise<void> {
    if (!this.subscribe) {
      const pc = this.open('subscribe');
      this.subscribe = pc;
      pc.addEventListener('track', (event) => this.trackArrived(event));
    }
    const cameraMid = (map: Map<string, WireSfuStream>, userId: string) =>
      [...map.values()].find((s) => s.userId === userId && s.kind === 'camera')?.mid;
    const before = this.streams;
    this.streams = new Map(streams.map((s) => [s.mid, s]));
    // A camera on another m-line (or new) starts at the server's default: choose again.
    for (const userId of [...this.sentLayers.keys()]) {
      if (cameraMid(before, userId) !== cameraMid(this.streams, userId)) this.sentLayers.delete(userId);
    }
    const pc = this.subscribe;
    await pc.setRemoteDescription(sdp);
    await pc.setLocalDescription(await pc.createAnswer());
    this.options.send({ type: 'sfuAnswer', payload: { pc: 'subscribe', sdp: { type: 'answer', sdp: pc.localDescription!.sdp } } });
    this.forgetGone();
    this.sendLayers();
  }

  private sendLayers(): void {
    if (this.closed || !this.subscribe) return;
    const cameras = new Set([...this.streams.values()].filter((s) => s.kind === 'camera').map((s) => s.userId));
    for (const [userId, layer] of this.wantedLayers) {
      if (!cameras.has(userId) || this.sentLayers.get(userId) === layer) continue;
      this.sentLayers.set(userId, layer);
      this.options.send({ type: 'sfuLayer', payload: { userId, layer } });
    }
  }

  private trackArrived(event: RTCTrackEvent): void {
    const mid = event.transceiver.mid;
    const stream = mid === null ? undefined : this.streams.get(mid);
    if (!stream) return;
    const media = this.mediaOf(stream.userId);
    // A remote track is muted until its first packets: the call then knows the SFU's video flows.
    event.track.addEventListener?.('unmute', () => this.options.onChange(), { once: true });
    // A new MediaStream each time, so the UI sees the change (it compares streams by identity).
    const fresh = this.newStream();
    if (stream.kind === 'screen') {
      // The screen's picture and its sound arrive on two m-lines: one stream for the stage.
      for (const old of media.screen?.getTracks() ?? []) if (old.kind !== event.track.kind) fresh.addTrack(old);
      fresh.addTrack(event.track);
      media.screen = fresh;
    } else {
      for (const old of media.camera.getTracks()) if (old.kind !== event.track.kind) fresh.addTrack(old);
      fresh.addTrack(event.track);
      media.camera = fresh;
    }
    this.options.onChange();
  }

  /** People (and screens) no longer in the subscription's streams are gone. */
  private forgetGone(): void {
    const carried = new Map<string, Set<string>>();
    for (const s of this.streams.values()) {
      if (!carried.has(s.userId)) carried.set(s.userId, new Set());
      carried.get(s.userId)!.add(s.kind);
    }
    let changed = false;
    for (const [userId, media] of this.remote) {
      const kinds = carried.get(userId);
      if (!kinds) {
        this.remote.delete(userId);
        changed = true;
      } else if (media.screen && !kinds.has('screen')) {
        media.screen = null;
        changed = true;
      }
    }
    if (changed) this.options.onChange();
  }

  private mediaOf(userId: string): RemoteMedia {
    let media = this.remote.get(userId);
    if (!media) {
      media = { camera: this.newStream(), screen: null };
      this.remote.set(userId, media);
    }
    return media;
  }

  private newStream(): MediaStream {
    return this.options.createStream ? this.options.createStream() : new MediaStream();
  }

  private readonly fail = (error: unknown): void => {
    if (this.options.onError) this.options.onError(error);
    else console.warn('[parley] sfu:', error);
  };
}
