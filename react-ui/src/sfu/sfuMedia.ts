/**
 * Media in an SFU room (issue 16, docs/protocol.md "SFU rooms"): one publishing RTCPeerConnection
 * (microphone, camera, and the screen as an extra video track while we share) and one subscribing
 * connection carrying everyone else's media, both negotiated through Parley's `sfuOffer`,
 * `sfuAnswer` and `sfuCandidate` messages; the server drives the media server. The subscribe
 * offer's `streams` say which person (and camera or screen) each m-line carries. No React.
 */
import type { ClientMessage, ServerMessage, SfuPc, WireIceServer, WireSfuStream } from '../signaling/messages';

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
  private screen: MediaStream | null = null;
  private streams = new Map<string, WireSfuStream>(); // mid -> whose media
  private readonly remote = new Map<string, RemoteMedia>();
  /** Negotiations of the publishing connection run one after the other. */
  private publishing: Promise<void> = Promise.resolve();
  private answering: Promise<void> = Promise.resolve();
  private closed = false;
  /** Bumped by `restart`: work queued for older connections sees it changed and stops. */
  private generation = 0;

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
    if (video) pc.addTransceiver(video, { direction: 'sendonly', streams });
    else pc.addTransceiver('video', { direction: 'sendonly' });
    if (this.screen) this.setScreen(this.screen);
    else this.renegotiate();
  }

  /** The camera stream to send changed (device switch, noise suppression): same m-lines, new tracks. */
  setCamera(camera: MediaStream | null): void {
    if (!this.publish) return;
    const [audio, video] = this.publish.getTransceivers();
    void audio?.sender.replaceTrack(camera?.getAudioTracks()[0] ?? null).catch(this.fail);
    void video?.sender.replaceTrack(camera?.getVideoTracks()[0] ?? null).catch(this.fail);
  }

  /** Our screen share: an extra video m-line while it lasts (renegotiated with the server). */
  setScreen(screen: MediaStream | null): void {
    this.screen = screen;
    const pc = this.publish;
    if (!pc || this.closed) return;
    const track = screen?.getVideoTracks()[0] ?? null;
    if (track && !this.screenSender) {
      this.screenSender = pc.addTransceiver(track, { direction: 'sendonly', streams: [screen!] }).sender;
      this.renegotiate();
    } else if (track && this.screenSender) {
      void this.screenSender.replaceTrack(track).catch(this.fail);
    } else if (!track && this.screenSender) {
      void this.screenSender.replaceTrack(null).catch(this.fail); // the m-line stays, silent
    }
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
    this.streams = new Map(streams.map((s) => [s.mid, s]));
    const pc = this.subscribe;
    await pc.setRemoteDescription(sdp);
    await pc.setLocalDescription(await pc.createAnswer());
    this.options.send({ type: 'sfuAnswer', payload: { pc: 'subscribe', sdp: { type: 'answer', sdp: pc.localDescription!.sdp } } });
    this.forgetGone();
  }

  private trackArrived(event: RTCTrackEvent): void {
    const mid = event.transceiver.mid;
    const stream = mid === null ? undefined : this.streams.get(mid);
    if (!stream) return;
    const media = this.mediaOf(stream.userId);
    // A new MediaStream each time, so the UI sees the change (it compares streams by identity).
    const fresh = this.newStream();
    if (stream.kind === 'screen') {
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
