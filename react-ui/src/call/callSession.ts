/**
 * One call, framework-free: the signaling connection, the peer mesh, the screen share, the roster,
 * mute state and the active speaker, combined into one immutable {@link CallSnapshot} that the UI
 * subscribes to (hooks/useCallSession.ts). React only renders snapshots and calls the methods.
 * Its parts beside it: the settings (callOptions.ts), the mesh or the SFU (mediaRoute.ts), what we
 * send (outgoingMedia.ts), the active speaker (speakerSampler.ts) and the test handle (testHandle.ts).
 */
import { chatSignaling, MeetingChat } from '../chat/meetingChat';
import { Emitter } from '../lib/emitter';
import { stopStream } from '../media/localMedia';
import { rememberBackground, type BackgroundChoice } from '../media/backgroundPreference';
import { AfterConnect } from './afterConnect';
import { callSignaling, type CallSessionOptions } from './callOptions';
import { rememberNoiseSuppression } from '../media/noiseSuppressionPreference';
import { FileShare } from '../files/fileShare';
import { HostControls } from '../host/hostControls';
import { QualityMonitor } from '../quality/qualityMonitor';
import { RecordingControls } from '../recording/recordingControls';
import { sceneOf } from '../recording/scene';
import { PeerManager } from '../rtc/peerManager';
import { captureDisplay } from '../rtc/displayCapture';
import { ScreenShareController } from '../rtc/screenShareController';
import { SfuStatus } from '../sfu/sfuStatus';
import { isLocallySharing } from '../rtc/screenShareMachine';
import type { LeaveRoomRequest, ServerMessage, SfuLayer } from '../signaling/messages';
import type { SignalingClient } from '../signaling/signalingClient';
import { IceRefresher } from './iceRefresh';
import { MediaRoute } from './mediaRoute';
import { OutgoingMedia } from './outgoingMedia';
import { rosterReducer, type Roster } from './roster';
import { SpeakerSampler } from './speakerSampler';
import { publishCallHandle } from './testHandle';
import { initialSnapshot, sameParticipants, type CallSnapshot, type RemoteParticipant } from './callSnapshot';

export type { CallSnapshot, RemoteParticipant } from './callSnapshot';
export type { CallSessionOptions } from './callOptions';

type Events = { change: (snapshot: CallSnapshot) => void };

/** One call from Join to Leave. */
export class CallSession {
  readonly signaling: SignalingClient;
  readonly peers: PeerManager;
  /** The files shared in this call, peer to peer (files/fileShare.ts). */
  readonly files: FileShare;
  readonly screenShare: ScreenShareController;
  /** Chat, raised hands and reactions (listening from before the first `joined`). */
  readonly chat: MeetingChat;
  /** Roles, admission and the host's controls (host/hostControls.ts). */
  readonly host: HostControls;
  /** Connection quality per person, and our video lowered to a poor connection (quality/). */
  readonly quality: QualityMonitor;
  /** Local recording and who records (recording/recordingControls.ts). */
  readonly recording: RecordingControls;
  /** Issue 16: whether the room's media server is missing (the call page's notice). */
  readonly sfuStatus = new SfuStatus();
  private snap: CallSnapshot;
  private roster: Roster = [];
  /** Who the server says is in the room (since our last `joined`). */
  private readonly serverUsers = new Set<string>();
  private readonly events = new Emitter<Events>();
  private readonly options: CallSessionOptions;
  /** The active speaker, read from the audio levels once the join's connections are up (afterJoin). */
  private readonly speakers = new SpeakerSampler({
    connections: () => this.peers.connections,
    snapshot: () => this.snap,
    update: (patch) => this.update(patch),
    ended: () => this.ended,
  });
  private readonly iceRefresher: IceRefresher;
  private ended = false;
  private started = false;
  /** Starts what the first pictures do not need once the join's connections are up (afterJoin). */
  private readonly afterConnect = new AfterConnect(() => this.afterJoin());
  /** Our camera and microphone as sent: background effect, RNNoise, mute state, device switches. */
  private readonly media: OutgoingMedia;
  /** The mesh, or the SFU once the room is an SFU room (issue 16). */
  private readonly route: MediaRoute;

  constructor(options: CallSessionOptions) {
    this.options = options;
    const { roomId, selfId } = options;
    this.snap = initialSnapshot(options);

    this.signaling = callSignaling(options, () => this.snap);
    this.chat = new MeetingChat(selfId, chatSignaling(this.signaling));
    // A host asked us to mute: the microphone goes off here, and the others see it (mediaState).
    this.host = new HostControls(selfId, this.signaling, () => this.setAudioMuted(true));
    this.recording = new RecordingControls({ selfId, roomId, signaling: this.signaling, scene: () => sceneOf(this.snap) });
    this.peers = new PeerManager({
      selfId,
      send: (message) => this.signaling.send(message),
      createPeerConnection: options.createPeerConnection,
      createStream: options.createStream,
      onError: (error) => console.warn('[parley] peer connection:', error),
    });
    this.route = new MediaRoute({
      peers: this.peers,
      send: (m) => this.signaling.send(m),
      createPeerConnection: options.createPeerConnection,
      createStream: options.createStream,
      present: () => this.roster.map((entry) => entry.userId),
      onChange: () => this.refresh(),
    });
    this.files = new FileShare({ selfId, channels: this.peers });
    this.quality = new QualityMonitor({
      connections: this.peers.connections,
      cameraOn: (userId) => this.snap.participants.some((p) => p.userId === userId && !p.videoMuted),
      setLowered: (userId, lowered) => this.peers.setLowered(userId, lowered),
      intervalMs: options.qualityPollMs,
    });
    this.screenShare = new ScreenShareController({
      selfId,
      roomId,
      send: (message) => this.signaling.send(message),
      // The screen and, where the browser offers it, its sound (rtc/displayCapture.ts).
      getDisplayMedia: options.getDisplayMedia ?? (() => captureDisplay(navigator.mediaDevices)),
      publish: (stream) => this.route.setScreen(stream),
      // Every link sends the screen under the peer manager's one screen stream id.
      streamIdOf: () => this.peers.screenStreamId,
      onChange: () => this.refresh(),
    });
    this.media = new OutgoingMedia({
      createStream: options.createStream,
      openDevice: options.openDevice,
      noiseSuppressor: options.noiseSuppressor,
      background: options.background,
      snapshot: () => this.snap,
      update: (patch) => this.update(patch),
      send: (stream) => this.route.setCamera(stream),
      onSent: () => this.publishDebugHandle(),
      ended: () => this.ended,
    });
    this.iceRefresher = new IceRefresher(
      () => this.signaling.send({ type: 'refreshIceServers', payload: {} }),
      options.iceRefreshMinMs,
    );

    this.signaling.on('message', (message) => this.receive(message));
    this.signaling.on('status', (status, reason) => {
      if (status === 'closed') this.teardown();
      this.update({ status, closedReason: reason ?? this.snap.closedReason });
    });
    this.peers.on('streamsChanged', () => this.refresh());
    this.peers.on('connectionState', (userId, state) => {
      // Someone kept across our rejoin only because their connection was alive, whom the server
      // has not confirmed since: once that connection fails they are gone (they left meanwhile).
      if ((state === 'failed' || state === 'closed') && !this.serverUsers.has(userId)) {
        this.receive({ type: 'userLeft', payload: { userId } });
        return;
      }
      this.refresh();
    });
    this.peers.on('peersChanged', () => this.refresh());
  }

  /** The current snapshot (a new object after every change). */
  get snapshot(): CallSnapshot {
    return this.snap;
  }

  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  subscribe(listener: (snapshot: CallSnapshot) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Connects and joins the room (once; later calls do nothing). */
  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.signaling.connect();
  }

  /**
   * The join's connections are up (or it took long enough, call/afterConnect.ts): what the first
   * pictures did not need starts now. RNNoise, and the readings of audio levels and connection
   * quality (getStats on every link, which waits behind the links still being described).
   */
  private afterJoin(): void {
    if (this.ended) return;
    this.media.noise.begin();
    this.speakers.start(this.options.speakerPollMs ?? 400);
    if (this.options.qualityPollMs !== 0) this.quality.start();
  }

  /** Mutes or unmutes the microphone (the track sends silence; the others see the mute). */
  setAudioMuted(muted: boolean): void {
    if (!this.snap.hasAudio && !muted) return;
    this.update({ audioMuted: muted });
    this.mediaStateChanged();
  }

  /** Turns the camera off or on (the track sends black; the others see it is off). */
  setVideoMuted(muted: boolean): void {
    if (!this.snap.hasVideo && !muted) return;
    this.update({ videoMuted: muted });
    this.mediaStateChanged();
  }

  /**
   * Switches to another camera or microphone during the call (see {@link LocalDevices}): no
   * renegotiation, the mute state stays; rejects as getUserMedia does, leaving the old device on.
   */
  switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    return this.media.devices.switch(kind, deviceId);
  }

  /**
   * Switches noise suppression (RNNoise) on or off, remembered for the next call: the processed or
   * the raw microphone goes out with `replaceTrack` (no renegotiation), and the microphone is
   * reopened with the browser's own suppression off or on to match.
   */
  setNoiseSuppression(on: boolean): void {
    if (this.ended) return;
    rememberNoiseSuppression(on);
    this.media.noise.setWanted(on);
  }

  /**
   * Chooses the camera's background (Off, Blur or an image), remembered for the next call: the
   * processed or the raw camera goes out with `replaceTrack` (no renegotiation).
   */
  setBackground(choice: BackgroundChoice): void {
    if (this.ended) return;
    rememberBackground(choice);
    this.media.background.setChoice(choice);
  }

  /** Closes the notice about a device that stopped. */
  dismissDeviceNotice(): void {
    this.update({ deviceNotice: null });
  }

  /** Starts sharing the screen (call from the click handler: the browser needs the gesture). */
  startScreenShare(): void {
    this.screenShare.start();
  }

  /** Stops sharing the screen. */
  stopScreenShare(): void {
    this.screenShare.stop();
  }

  /** Issue 16: which simulcast layer of each person's camera the page shows (sent in an SFU room). */
  setVideoLayers(layers: ReadonlyMap<string, SfuLayer>): void {
    this.route.setLayers(layers);
  }

  /** Closes the screen-share error message. */
  dismissShareError(): void {
    this.screenShare.dismissError();
  }

  /**
   * The JSON body of `POST /leaveRoom` to send with `navigator.sendBeacon` (as an
   * `application/json` Blob) when the page goes away, or null when there is nothing to say (not
   * joined yet, or already left).
   */
  leaveBeaconBody(): string | null {
    const { roomId, selfId, resumeToken, status } = this.snap;
    if (!resumeToken || status === 'closed') return null;
    const body: LeaveRoomRequest = { roomId, userId: selfId, resumeToken };
    return JSON.stringify(body);
  }

  /** Leaves the call: closes the socket with 1000, every peer connection, camera and screen. */
  leave(): void {
    this.signaling.close();
    this.teardown();
  }

  private receive(message: ServerMessage): void {
    // Negotiation messages change nothing on screen (what they lead to, tracks and connection
    // states, comes back through the peer manager's events): no new snapshot, no re-render, on the
    // dozens of them every join brings.
    if (this.route.negotiate(message)) return;
    this.sfuStatus.handle(message);
    if (message.type === 'sfuRestart') {
      this.route.restartSfu(this.media.sent);
      return;
    }
    if (message.type === 'joined' ? message.payload.topology === 'sfu' : message.type === 'topology') {
      if (message.type === 'joined') this.route.iceServers = message.payload.iceServers;
      this.route.enterSfu(this.media.sent, this.screenShare.localStream);
    }
    const live = new Set([...this.peers.connections.keys()].filter((id) => this.peers.link(id)?.alive));
    this.roster = rosterReducer(this.roster, message, live);
    if (message.type === 'joined' || message.type === 'iceServers') {
      this.iceRefresher.schedule(message.payload.iceServers);
      this.route.iceServers = message.payload.iceServers;
    }
    if (message.type === 'joined') {
      this.afterConnect.joined();
      this.serverUsers.clear();
      for (const user of message.payload.users) this.serverUsers.add(user.userId);
    } else if (message.type === 'userJoined') {
      this.serverUsers.add(message.payload.userId);
    } else if (message.type === 'userLeft') {
      this.serverUsers.delete(message.payload.userId);
    }
    this.route.handle(message);
    this.screenShare.handle(message);
    // The roster first, then "joined": a change of the roster after the join is news (toasts/callFeedback.ts).
    if (message.type === 'joined') this.refresh();
    if (message.type === 'joined') this.update({ joined: true, resumeToken: message.payload.resumeToken });
    else if (message.type === 'error') console.warn('[parley] server:', message.payload.code, message.payload.message);
    this.refresh();
  }

  private mediaStateChanged(): void {
    this.media.applyTrackEnabled();
    const { audioMuted, videoMuted } = this.snap;
    this.signaling.send({ type: 'mediaState', payload: { audioMuted, videoMuted } });
  }

  /** Recomputes the derived parts of the snapshot. */
  private refresh(): void {
    // Every change of a connection's state comes through here (mesh links, the SFU's).
    this.afterConnect.statesChanged(this.route.linkStates());
    const share = this.screenShare.state;
    const sharer = share.sharer;
    const participants = this.roster.map((entry): RemoteParticipant => {
      const isSharer = sharer?.userId === entry.userId;
      const screen = !isSharer ? null : this.route.screenOf(entry.userId, sharer.streamId);
      const camera = this.route.cameraOf(entry.userId);
      return { ...entry, camera, screen, connectionState: this.route.connectionState(entry.userId) };
    });
    let stageStream: MediaStream | null = null;
    if (sharer?.userId === this.snap.selfId) stageStream = this.screenShare.localStream;
    else if (sharer) stageStream = participants.find((p) => p.userId === sharer.userId)?.screen ?? null;
    this.route.setScreenActive(sharer !== null);
    this.update({
      participants: sameParticipants(this.snap.participants, participants) ? this.snap.participants : participants,
      sharer: sharer?.userId === this.snap.sharer?.userId && sharer?.streamId === this.snap.sharer?.streamId ? this.snap.sharer : sharer,
      stageStream,
      sharing: isLocallySharing(share),
      shareError: share.error,
    });
    this.publishDebugHandle();
  }

  /** Applies `patch`; a patch that changes nothing makes no new snapshot and tells nobody. */
  private update(patch: Partial<CallSnapshot>): void {
    const changed = (Object.keys(patch) as (keyof CallSnapshot)[]).some((key) => !Object.is(patch[key], this.snap[key]));
    if (!changed) return;
    this.snap = { ...this.snap, ...patch };
    this.events.emit('change', this.snap);
  }

  /** `window.__parley` in test builds only (testHandle.ts). */
  private publishDebugHandle(): void {
    if (!__PARLEY_TEST_HANDLE__ || !this.snap.joined || this.ended) return;
    publishCallHandle({
      snapshot: () => this.snap,
      peers: this.peers.connections,
      files: this.files,
      recording: this.recording,
      media: this.media,
    });
  }

  private teardown(): void {
    if (this.ended) return;
    this.ended = true;
    this.speakers.stop();
    this.iceRefresher.stop();
    this.quality.stop();
    this.chat.dispose();
    this.host.dispose();
    this.recording.dispose(); // a recording under way is saved
    this.screenShare.dispose();
    this.files.dispose();
    this.route.close(); // the mesh and the SFU connections
    this.afterConnect.dispose();
    this.media.close(); // RNNoise and the background effect
    stopStream(this.snap.localStream);
  }
}
