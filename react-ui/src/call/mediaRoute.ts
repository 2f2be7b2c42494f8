/**
 * Which way a call's media goes: over the mesh (one connection per person, rtc/peerManager.ts) or,
 * once the room is an SFU room (issue 16), over our two connections to the SFU (sfu/sfuMedia.ts).
 * It routes the negotiation messages and what we send to the one in use, moves from the mesh to the
 * SFU make-before-break, and says per person which camera, screen and connection state to show.
 * No React.
 */
import { SfuMedia } from '../sfu/sfuMedia';
import type { PeerManager } from '../rtc/peerManager';
import type { ClientMessage, ServerMessage, SfuLayer, WireIceServer } from '../signaling/messages';
import { findScreen } from './callSnapshot';

/** How long the mesh may play on after the room moved to the SFU, at most (enterSfu). */
const MESH_DRAIN_MS = 8000;

/** What a {@link MediaRoute} works with. */
export interface MediaRouteOptions {
  /** The mesh (the route listens to its connection states). */
  peers: PeerManager;
  send: (message: ClientMessage) => void;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  createStream?: () => MediaStream;
  /** Who is in the room now (the roster's user ids). */
  present: () => Iterable<string>;
  /** What a person's tile shows changed (the SFU's streams or states, or the mesh closed). */
  onChange: () => void;
}

/** The mesh, or the SFU once the room is an SFU room. */
export class MediaRoute {
  /** The ICE servers the SFU connections use (from `joined` and `iceServers`). */
  iceServers: WireIceServer[] = [];
  private readonly options: MediaRouteOptions;
  private readonly peers: PeerManager;
  private readonly meshStates = new Map<string, RTCPeerConnectionState>();
  /** Issue 16: our two connections to the SFU once the room is an SFU room (then the mesh is closed). */
  private sfu: SfuMedia | null = null;
  /** The mesh still plays while the SFU's media comes up (enterSfu); its deadline. */
  private meshDrain: ReturnType<typeof setTimeout> | undefined;
  /** The layer this page needs of each person's camera (useSfuLayers), kept across the move to the SFU. */
  private videoLayers: ReadonlyMap<string, SfuLayer> = new Map();

  constructor(options: MediaRouteOptions) {
    this.options = options;
    this.peers = options.peers;
    this.peers.on('connectionState', (userId, state) => this.meshStates.set(userId, state));
  }

  /**
   * Routes a negotiation message to the mesh or the SFU and says whether `message` was one (they
   * change nothing on screen by themselves).
   */
  negotiate(message: ServerMessage): boolean {
    if (message.type === 'offer' || message.type === 'answer' || message.type === 'iceCandidate') {
      if (!this.sfu) this.peers.handle(message);
      return true;
    }
    if (message.type === 'sfuOffer' || message.type === 'sfuAnswer' || message.type === 'sfuCandidate') {
      this.sfu?.handle(message);
      return true;
    }
    return false;
  }

  /** Any other message, for the one in use (who joined and left, mute state...). */
  handle(message: ServerMessage): void {
    if (this.sfu) this.sfu.handle(message);
    else this.peers.handle(message);
  }

  /** The room moved to another media server: both SFU connections anew (issue 16). */
  restartSfu(camera: MediaStream | null): void {
    this.sfu?.restart(this.iceServers, camera);
  }

  /**
   * The room is (now) an SFU room: the mesh connections close and our media goes through the SFU
   * (a fresh pair of connections after each `joined`: the server drops them with the old socket).
   */
  enterSfu(camera: MediaStream | null, screen: MediaStream | null): void {
    this.sfu?.close();
    // Make before break: the mesh links play on until the SFU brings everyone's video (or
    // MESH_DRAIN_MS passed), so the move blinks a tile once instead of waiting for Janus.
    clearTimeout(this.meshDrain);
    this.meshDrain = undefined;
    if (this.peers.connections.size > 0) this.meshDrain = setTimeout(() => this.closeMesh(), MESH_DRAIN_MS);
    this.sfu = new SfuMedia({
      send: this.options.send,
      createPeerConnection: this.options.createPeerConnection,
      createStream: this.options.createStream,
      onChange: () => {
        this.drainMesh();
        this.options.onChange();
      },
    });
    this.sfu.setScreen(screen);
    this.sfu.setLayers(this.videoLayers);
    this.sfu.start(this.iceServers, camera);
  }

  /** The states of the connections that bring the others' media: the SFU's, or every mesh link's. */
  linkStates(): RTCPeerConnectionState[] {
    if (this.sfu) return this.sfu.state === 'new' ? ['new'] : [this.sfu.state];
    return [...this.peers.connections.values()].map((pc) => pc.connectionState);
  }

  /** Sends `camera` (the camera and microphone) to everyone. */
  setCamera(camera: MediaStream | null): void {
    // In an SFU room the mesh is gone, and its fit of the camera to the room with it (sfuMedia.ts).
    if (this.sfu) this.sfu.setCamera(camera);
    else this.peers.setCameraStream(camera);
  }

  /** Sends our screen (null: none). */
  setScreen(screen: MediaStream | null): void {
    this.peers.setScreenStream(screen);
    this.sfu?.setScreen(screen);
  }

  /** Whether someone shares a screen (the mesh's links fit their camera to it). */
  setScreenActive(active: boolean): void {
    if (!this.sfu) this.peers.setScreenActive(active);
  }

  /** Issue 16: which simulcast layer of each person's camera the page shows (sent in an SFU room). */
  setLayers(layers: ReadonlyMap<string, SfuLayer>): void {
    this.videoLayers = layers;
    this.sfu?.setLayers(layers);
  }

  /** The camera stream `userId`'s tile shows. */
  cameraOf(userId: string): MediaStream | null {
    const sfu = this.sfu;
    // While the mesh drains, a tile keeps its mesh stream until the SFU's video for it flows.
    const draining = sfu && this.meshDrain !== undefined && !this.sfuVideoFlows(userId);
    return sfu && !draining ? sfu.cameraOf(userId) : (this.peers.cameraOf(userId) ?? sfu?.cameraOf(userId) ?? null);
  }

  /** The screen stream of `userId`, the room's sharer (`streamId`: the one they announced). */
  screenOf(userId: string, streamId: string | null): MediaStream | null {
    return this.sfu ? this.sfu.screenOf(userId) : (findScreen(this.peers.screensOf(userId), streamId) ?? null);
  }

  /** The state of the connection `userId`'s media comes over. */
  connectionState(userId: string): RTCPeerConnectionState | 'new' {
    return this.sfu ? this.sfu.state : (this.meshStates.get(userId) ?? 'new');
  }

  /** The call ended: the mesh and the SFU connections close. */
  close(): void {
    clearTimeout(this.meshDrain);
    this.peers.closeAll();
    this.sfu?.close();
  }

  /** Whether `userId`'s camera video comes through the SFU (its track has had packets). */
  private sfuVideoFlows(userId: string): boolean {
    const video = this.sfu?.cameraOf(userId)?.getVideoTracks()[0];
    return Boolean(video && !video.muted);
  }

  /** Closes the mesh once the SFU carries the video of everyone it connected us to. */
  private drainMesh(): void {
    if (this.meshDrain === undefined) return;
    const present = new Set(this.options.present());
    if ([...this.peers.connections.keys()].every((id) => !present.has(id) || this.sfuVideoFlows(id))) this.closeMesh();
  }

  private closeMesh(): void {
    clearTimeout(this.meshDrain);
    this.meshDrain = undefined;
    this.peers.closeAll();
    this.options.onChange();
  }
}
