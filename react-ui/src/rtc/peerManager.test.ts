import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage, WireUser } from '../signaling/messages';
import { captureConstraints, OPENED_FIT } from '../media/localMedia';
import { cameraCapture, cameraHeight, encodingLimits, SHARE_CAMERA_HEIGHT, startLimits } from './bandwidth';
import { CameraFit } from './cameraFit';
import type { CodecCapabilities } from './codecs';
import { isPolite } from './peerLink';
import { PeerManager } from './peerManager';
import { FakePeerConnection, fakeCameraStream, FakeStream, FakeTrack } from './testing/fakeWebRtc';
import { SignalingHub } from './testing/signalingHub';

// Node has no RTCPeerConnection: these tests run the real PeerManager/PeerLink against the
// hand-written FakePeerConnection in ./testing/fakeWebRtc.ts, which models signalingState
// transitions, the operations chain, rollback, transceiver reuse and negotiationneeded.

interface Member {
  id: string;
  manager: PeerManager;
  camera: FakeStream;
  errors: unknown[];
  configs: RTCConfiguration[];
}

let hub: SignalingHub;

beforeEach(() => {
  hub = new SignalingHub();
});
afterEach(() => {
  FakePeerConnection.rollbackStopsGathering = false;
});

interface MemberOptions {
  withCamera?: boolean;
  codecCapabilities?: CodecCapabilities;
  offerWaitMs?: number;
  stallTimeoutMs?: number;
  rampUpMs?: number;
}

function member(
  id: string,
  { withCamera = true, offerWaitMs, stallTimeoutMs, rampUpMs = 0, codecCapabilities }: MemberOptions = {},
): Member {
  const errors: unknown[] = [];
  const configs: RTCConfiguration[] = [];
  const manager = new PeerManager({
    selfId: id,
    send: hub.sender(id),
    createPeerConnection: (config) => {
      configs.push(config);
      return new FakePeerConnection(config) as unknown as RTCPeerConnection;
    },
    onError: (error) => errors.push(error),
    offerWaitMs,
    stallTimeoutMs,
    rampUpMs,
    codecCapabilities,
    createStream: () => new FakeStream() as unknown as MediaStream,
  });
  const camera = fakeCameraStream();
  if (withCamera) manager.setCameraStream(camera as unknown as MediaStream);
  hub.add(id, manager);
  return { id, manager, camera, errors, configs };
}

const user = (userId: string): WireUser => ({ userId, displayName: userId, audioMuted: false, videoMuted: false });

function joined(self: string, others: string[], iceServers: RTCIceServer[] = []): ServerMessage {
  return {
    type: 'joined',
    payload: {
      roomId: 'r',
      userId: self,
      users: others.map(user),
      screenSharer: null,
      screenStreamId: null,
      iceServers: iceServers as never,
      resumeToken: 't',
    },
  };
}

/** `newcomer` joins a room where `present` already are, in server order. */
function join(newcomer: Member, present: Member[]): void {
  newcomer.manager.handle(joined(newcomer.id, present.map((m) => m.id)));
  for (const m of present) m.manager.handle({ type: 'userJoined', payload: user(newcomer.id) });
}

const pc = (m: Member, remote: string) => m.manager.connections.get(remote) as unknown as FakePeerConnection;
const streamIds = (m: Member, remote: string) => m.manager.streamsOf(remote).map((s) => s.id);

/** Waits until every pair is connected and stable, and each side has the other's camera. */
async function meshConnected(members: Member[]): Promise<void> {
  await vi.waitFor(() => {
    for (const a of members) {
      for (const b of members) {
        if (a === b) continue;
        expect(pc(a, b.id)?.connectionState, `${a.id}→${b.id}`).toBe('connected');
        expect(pc(a, b.id).signalingState, `${a.id}→${b.id}`).toBe('stable');
        expect(streamIds(a, b.id), `${a.id} sees ${b.id}`).toContain(b.camera.id);
      }
    }
    expect(hub.pending).toBe(0);
  });
}

/** Alice in the room, then Bob joins; resolves once they are connected both ways. */
async function connectedPair(options: { alice?: MemberOptions; bob?: MemberOptions } = {}): Promise<[Member, Member]> {
  const a = member('alice', options.alice);
  const b = member('bob', options.bob);
  a.manager.handle(joined('alice', []));
  join(b, [a]);
  await meshConnected([a, b]);
  return [a, b];
}

describe('PeerManager', () => {
  it('connects a newcomer to someone already there, both ways, with audio and video', async () => {
    const [a, b] = await connectedPair();
    const received = a.manager.streamsOf('bob')[0];
    expect(received.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('a join causes no glare: only the newcomer offers, nobody rolls back', async () => {
    const members = ['u1', 'u2', 'u3'].map((id) => member(id));
    members[0].manager.handle(joined('u1', []));
    for (let i = 1; i < members.length; i++) join(members[i], members.slice(0, i));
    await meshConnected(members);
    const offers = hub.log.filter((m) => m.type === 'offer').map((m) => `${m.from}->${m.to}`);
    expect(offers.sort()).toEqual(['u2->u1', 'u3->u1', 'u3->u2']);
    for (const m of members) for (const o of members) if (m !== o) expect(m.manager.link(o.id)!.rollbacks).toBe(0);
  });

  it('resolves glare: both offer at once, the polite side rolls back and both end up connected', async () => {
    const a = member('alice');
    const b = member('bob');
    hub.hold();
    // Both think they are the newcomer (as when both rejoin after a server restart), and both
    // offers are sent before either is delivered.
    a.manager.handle(joined('alice', ['bob']));
    b.manager.handle(joined('bob', ['alice']));
    await vi.waitFor(() => {
      expect(pc(a, 'bob').signalingState).toBe('have-local-offer');
      expect(pc(b, 'alice').signalingState).toBe('have-local-offer');
    });
    expect(hub.log.filter((m) => m.type === 'offer').map((m) => m.from).sort()).toEqual(['alice', 'bob']);
    hub.release();
    await meshConnected([a, b]);
    const polite = isPolite('alice', 'bob') ? a : b;
    const impolite = polite === a ? b : a;
    expect(polite.manager.link(impolite.id)!.rollbacks).toBe(1);
    expect(impolite.manager.link(polite.id)!.rollbacks).toBe(0);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('builds a full mesh of four, each newcomer offering to everyone present', async () => {
    const members = ['u1', 'u2', 'u3', 'u4'].map((id) => member(id));
    members[0].manager.handle(joined('u1', []));
    for (let i = 1; i < members.length; i++) join(members[i], members.slice(0, i));
    await meshConnected(members);
    for (const m of members) expect(m.manager.connections.size).toBe(3);
  });

  it('uses the ICE servers from joined and never invents a public STUN server', async () => {
    const a = member('alice');
    const b = member('bob');
    a.manager.handle(joined('alice', []));
    b.manager.handle(joined('bob', ['alice'], [{ urls: 'turn:10.0.0.1:3478', username: 'u', credential: 'p' }]));
    expect(b.configs).toEqual([
      { iceServers: [{ urls: 'turn:10.0.0.1:3478', username: 'u', credential: 'p' }], bundlePolicy: 'max-bundle' },
    ]);
    a.manager.handle({ type: 'userJoined', payload: user('bob') });
    expect(a.configs).toEqual([{ iceServers: [], bundlePolicy: 'max-bundle' }]);
  });

  it('receives a participant without camera or microphone and still sends them ours', async () => {
    const a = member('alice', { offerWaitMs: 60_000 });
    const b = member('bob', { withCamera: false });
    a.manager.handle(joined('alice', []));
    join(b, [a]);
    await vi.waitFor(() => {
      expect(streamIds(b, 'alice')).toContain(a.camera.id);
      expect(pc(a, 'bob').connectionState).toBe('connected');
    });
    expect(a.manager.cameraOf('bob')).toBeNull();
    // The newcomer without media offered (receive-only), so nobody waited for a fallback timer.
    expect(hub.log.filter((m) => m.type === 'offer').map((m) => m.from)).toEqual(['bob']);
  });

  it('offers to the newcomer itself if the newcomer never offers', async () => {
    const a = member('alice', { offerWaitMs: 10 });
    const b = member('bob');
    a.manager.handle(joined('alice', []));
    // bob's joined is never handled (say, an old client): alice's fallback timer makes her offer.
    a.manager.handle({ type: 'userJoined', payload: user('bob') });
    await vi.waitFor(() => expect(streamIds(b, 'alice')).toContain(a.camera.id));
    expect(hub.log.filter((m) => m.type === 'offer').map((m) => m.from)).toEqual(['alice']);
  });

  it('closes and forgets the connection on userLeft', async () => {
    const [a] = await connectedPair();
    const old = pc(a, 'bob');
    const changes = vi.fn();
    a.manager.on('peersChanged', changes);
    a.manager.handle({ type: 'userLeft', payload: { userId: 'bob' } });
    expect(old.signalingState).toBe('closed');
    expect(a.manager.connections.has('bob')).toBe(false);
    expect(a.manager.streamsOf('bob')).toEqual([]);
    expect(changes).toHaveBeenCalledTimes(1);
  });

  it('keeps a live connection when everyone rejoins after a server restart', async () => {
    const [a, b] = await connectedPair();
    const [aToB, bToA] = [pc(a, 'bob'), pc(b, 'alice')];
    const offersBefore = aToB.offersMade + bToA.offersMade;
    // Presence was lost: alice rejoins first (alone), then bob rejoins and alice hears userJoined.
    a.manager.handle(joined('alice', []));
    b.manager.handle(joined('bob', ['alice']));
    a.manager.handle({ type: 'userJoined', payload: user('bob') });
    expect(pc(a, 'bob')).toBe(aToB);
    expect(pc(b, 'alice')).toBe(bToA);
    expect(aToB.connectionState).toBe('connected');
    expect(aToB.offersMade + bToA.offersMade).toBe(offersBefore);
  });

  it('gives the connections it keeps across a rejoin the fresh ICE servers (new TURN credentials)', async () => {
    const [a] = await connectedPair();
    const fresh = [{ urls: 'turn:turn.example:3478', username: '999:alice', credential: 'new' }];
    a.manager.handle(joined('alice', ['bob'], fresh));
    expect(pc(a, 'bob').getConfiguration()).toMatchObject({ iceServers: fresh, bundlePolicy: 'max-bundle' });
  });

  it('replaces a connection that is closed when the user joins again', async () => {
    const [a] = await connectedPair();
    const dead = pc(a, 'bob');
    dead.close();
    a.manager.handle({ type: 'userJoined', payload: user('bob') });
    expect(pc(a, 'bob')).not.toBe(dead);
  });

  it('restarts ICE when a connection fails, and reconnects', async () => {
    const [a] = await connectedPair();
    const aToB = pc(a, 'bob');
    aToB.simulateIceFailure();
    expect(aToB.restartIceCalls).toBe(1);
    await vi.waitFor(() => expect(aToB.connectionState).toBe('connected'));
    expect(pc(a, 'bob')).toBe(aToB);
    expect(aToB.offersMade).toBeGreaterThanOrEqual(1);
  });

  it('sends the screen on a transceiver negotiated with the link: sharing is a track swap, no new offer', async () => {
    const [a, b] = await connectedPair();
    // Every link has the screen's m-line from the start, under each sender's one screen stream id.
    expect(streamIds(b, 'alice')).toEqual([a.camera.id, a.manager.screenStreamId]);
    expect(streamIds(a, 'bob')).toEqual([b.camera.id, b.manager.screenStreamId]);
    expect(b.manager.cameraOf('alice')?.id).toBe(a.camera.id);
    expect(b.manager.screensOf('alice').map((s) => s.id)).toEqual([a.manager.screenStreamId]);
    const offers = () => hub.log.filter((m) => m.type === 'offer').length;
    const offersBefore = offers();
    const screenSender = (m: Member, remote: string) =>
      pc(m, remote).getTransceivers().filter((t) => t.kind === 'video')[1].sender;

    const screen = new FakeStream([new FakeTrack('video', 'screen')]);
    const screenTrack = screen.getVideoTracks()[0];
    a.manager.setScreenStream(screen as unknown as MediaStream);
    await vi.waitFor(() => expect(screenSender(a, 'bob').track).toBe(screenTrack));

    // A later peer gets the screen on the link it makes (bob's side answers with his screen m-line).
    const c = member('carol');
    join(c, [a, b]);
    await meshConnected([a, b, c]);
    await vi.waitFor(() => expect(screenSender(a, 'carol').track).toBe(screenTrack));
    expect(c.manager.screensOf('alice').map((s) => s.id)).toEqual([a.manager.screenStreamId]);
    expect(c.manager.cameraOf('alice')?.id).toBe(a.camera.id);
    const offersWithCarol = offers();
    expect(offersWithCarol - offersBefore).toBe(2); // carol's two join offers, nothing else

    a.manager.setScreenStream(null);
    await vi.waitFor(() => {
      expect(screenSender(a, 'bob').track).toBeNull();
      expect(screenSender(a, 'carol').track).toBeNull();
    });
    // bob shares now, over the transceiver he took from carol's offer.
    const bobScreen = new FakeStream([new FakeTrack('video', 'screen')]);
    b.manager.setScreenStream(bobScreen as unknown as MediaStream);
    await vi.waitFor(() => expect(screenSender(b, 'carol').track).toBe(bobScreen.getVideoTracks()[0]));
    expect(c.manager.screensOf('bob').map((s) => s.id)).toEqual([b.manager.screenStreamId]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(offers()).toBe(offersWithCarol);
    // The camera kept going all along.
    expect(b.manager.cameraOf('alice')?.getVideoTracks()).toHaveLength(1);
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });

  it('starts a new link\'s camera small and raises it to the room\'s limits once connected', async () => {
    const a = member('alice', { rampUpMs: 400 });
    const b = member('bob', { rampUpMs: 400 });
    a.manager.handle(joined('alice', []));
    join(b, [a]);
    const videoSender = () => pc(b, 'alice').getSenders().find((s) => s.track?.kind === 'video')!;
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(startLimits(undefined)));
    expect(startLimits(720).scaleResolutionDownBy).toBe(4);
    await meshConnected([a, b]);
    expect(videoSender().encodings[0]).toMatchObject(startLimits(undefined));
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(encodingLimits('camera', 1, false)), { timeout: 2000 });
  });

  it('caps the camera bitrate by room size and lowers it while a screen is shared', async () => {
    const members = ['u1', 'u2', 'u3'].map((id) => member(id));
    members[0].manager.handle(joined('u1', []));
    for (let i = 1; i < members.length; i++) join(members[i], members.slice(0, i));
    await meshConnected(members);
    const videoSender = () =>
      pc(members[0], 'u2').getSenders().find((s) => s.track?.kind === 'video')!;
    const normal = encodingLimits('camera', 2, false);
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(normal));
    members[0].manager.setScreenActive(true);
    const lowered = encodingLimits('camera', 2, true);
    expect(lowered.maxBitrate!).toBeLessThan(normal.maxBitrate!);
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(lowered));
  });

  it('offers and answers VP8 (with rtx) and Opus only, on every m-line including the screen', async () => {
    const codec = (mimeType: string) => ({ mimeType, clockRate: 90000 }) as RTCRtpCodec;
    const capabilities: CodecCapabilities = (kind) =>
      kind === 'video'
        ? ['video/VP8', 'video/rtx', 'video/VP9', 'video/H264', 'video/AV1', 'video/red'].map(codec)
        : ['audio/opus', 'audio/G722', 'audio/PCMU', 'audio/telephone-event'].map(codec);
    const [a, b] = await connectedPair({ alice: { codecCapabilities: capabilities }, bob: { codecCapabilities: capabilities } });
    for (const [m, remote] of [[a, 'bob'], [b, 'alice']] as const) {
      const lines = JSON.parse(pc(m, remote).localDescription!.sdp).mlines as { kind: string; codecs: string[] }[];
      expect(lines.map((l) => l.kind)).toEqual(['audio', 'video', 'video']);
      for (const line of lines) {
        expect(line.codecs).toEqual(line.kind === 'video' ? ['video/VP8', 'video/rtx'] : ['audio/opus']);
      }
    }
  });

  it('keeps the browser\'s codecs when VP8 is not among them', async () => {
    const capabilities: CodecCapabilities = (kind) =>
      (kind === 'video' ? ['video/H264', 'video/rtx'] : ['audio/opus']).map((mimeType) => ({ mimeType, clockRate: 90000 }) as RTCRtpCodec);
    const [, b] = await connectedPair({ alice: { codecCapabilities: capabilities }, bob: { codecCapabilities: capabilities } });
    const lines = JSON.parse(pc(b, 'alice').localDescription!.sdp).mlines as { kind: string; codecs: string[] | null }[];
    expect(lines.map((l) => l.codecs)).toEqual([['audio/opus'], null, null]);
  });

  it('swaps the camera track without renegotiating', async () => {
    const [a] = await connectedPair();
    const offers = pc(a, 'bob').offersMade;
    const other = new FakeStream([new FakeTrack('audio'), new FakeTrack('video', 'usb camera')]);
    a.manager.setCameraStream(other as unknown as MediaStream);
    const videoSender = pc(a, 'bob').getSenders().find((s) => s.track?.kind === 'video')!;
    await vi.waitFor(() => expect(videoSender.track).toBe(other.getVideoTracks()[0]));
    expect(pc(a, 'bob').offersMade).toBe(offers);
  });
});


describe('PeerManager with the Chromium rollback behaviour modelled', () => {
  /** Forces glare between alice and bob (both offer before either offer is delivered). */
  async function glare(a: Member, b: Member): Promise<void> {
    hub.hold();
    a.manager.handle(joined('alice', ['bob']));
    b.manager.handle(joined('bob', ['alice']));
    await vi.waitFor(() => expect(hub.log.filter((m) => m.type === 'offer')).toHaveLength(2));
    hub.release();
  }

  it('without the stall watchdog, the pair that rolled back never connects (the model works)', async () => {
    FakePeerConnection.rollbackStopsGathering = true;
    const [a, b] = [member('alice', { stallTimeoutMs: 60_000 }), member('bob', { stallTimeoutMs: 60_000 })];
    await glare(a, b);
    await vi.waitFor(() => {
      expect(pc(a, 'bob').signalingState).toBe('stable');
      expect(pc(b, 'alice').signalingState).toBe('stable');
      expect(hub.pending).toBe(0);
    });
    expect(pc(a, 'bob').connectionState).toBe('new');
  });

  it('the impolite side restarts ICE on a stalled pair, and it connects', async () => {
    FakePeerConnection.rollbackStopsGathering = true;
    const [a, b] = [member('alice', { stallTimeoutMs: 20 }), member('bob', { stallTimeoutMs: 20 })];
    await glare(a, b);
    await meshConnected([a, b]);
    const polite = isPolite('alice', 'bob') ? a : b;
    const impolite = polite === a ? b : a;
    expect(impolite.manager.link(polite.id)!.iceRestarts).toBe(1);
    expect(polite.manager.link(impolite.id)!.iceRestarts).toBe(0);
  });
});

describe('camera capture', () => {
  const asked = (track: FakeTrack) => track.applied.map((c) => `${(c.height as ConstrainULongRange).ideal}@${(c.frameRate as ConstrainDoubleRange).max}`);

  it('is fitted to what its largest copy needs as the room and the share change, and back', async () => {
    const [a, b] = await connectedPair();
    const camera = a.camera.tracks.find((t) => t.kind === 'video')!;
    expect(asked(camera)).toEqual([]); // one peer: the 720p, 30 frames/s it was opened at
    a.manager.setScreenActive(true);
    b.manager.setScreenActive(true);
    await Promise.resolve();
    expect(asked(camera)).toEqual([`${SHARE_CAMERA_HEIGHT}@15`]);
    a.manager.setScreenActive(false);
    expect(asked(camera)).toEqual([`${SHARE_CAMERA_HEIGHT}@15`, '720@30']);
    a.manager.handle({ type: 'userLeft', payload: { userId: 'bob' } });
    expect(asked(camera)).toHaveLength(2); // alone: nothing new to fit
  });

  it('asks for 16:9 at the policy\'s height and frame rate, and each fit once', () => {
    expect([1, 2, 3, 4, 5].map((n) => cameraCapture(n, false))).toEqual([
      { height: 720, frameRate: 30 },
      { height: 540, frameRate: 30 },
      { height: 360, frameRate: 20 },
      { height: 240, frameRate: 15 },
      { height: 180, frameRate: 15 },
    ]);
    expect(captureConstraints({ height: 180, frameRate: 15 })).toEqual({
      width: { ideal: 320 },
      height: { ideal: 180 },
      frameRate: { ideal: 15, max: 15 },
    });
    const fitted = vi.fn();
    const fit = new CameraFit(fitted);
    const track = new FakeTrack('video');
    fit.fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    fit.fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    fit.fit(track as unknown as MediaStreamTrack, OPENED_FIT);
    expect(asked(track)).toEqual(['180@15', '720@30']);
    track.stop();
    fit.fit(track as unknown as MediaStreamTrack, { height: 240, frameRate: 15 });
    expect(track.applied).toHaveLength(2);
  });

  it('knows what a camera kept from an earlier call was asked, and brings it back', () => {
    const track = new FakeTrack('video');
    new CameraFit(() => {}).fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    new CameraFit(() => {}).fit(track as unknown as MediaStreamTrack, OPENED_FIT); // the next call, alone
    expect(asked(track)).toEqual(['180@15', '720@30']);
  });

  it('leaves a camera that refuses the constraints as it is', async () => {
    const fitted = vi.fn();
    const track = { readyState: 'live', applyConstraints: () => Promise.reject(new Error('OverconstrainedError')) };
    new CameraFit(fitted).fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fitted).not.toHaveBeenCalled();
  });
});

describe('bandwidth policy', () => {
  it('gives each copy less as the mesh grows, and keeps screens legible', () => {
    const rates = [1, 2, 3, 5].map((n) => encodingLimits('camera', n, false).maxBitrate!);
    expect([...rates].sort((x, y) => y - x)).toEqual(rates);
    expect(encodingLimits('camera', 5, false).scaleResolutionDownBy).toBeGreaterThan(1);
    expect(encodingLimits('screen', 5, true).scaleResolutionDownBy).toBe(1);
    // Five copies (six people) stay within about 2.5 Mbit/s of camera upload.
    expect(encodingLimits('camera', 5, false).maxBitrate! * 5).toBeLessThanOrEqual(2_500_000);
  });

  it('sends each camera copy at about the height of its tile, and fewer frames in a big room', () => {
    // 2 people side by side, 3–4 in a 2×2 grid, 5–6 in 3×2: every browser encodes about as many
    // pixels in all whatever the room size.
    expect([1, 2, 3, 4, 5].map(cameraHeight)).toEqual([720, 540, 360, 240, 180]);
    for (const peers of [1, 2, 3, 4, 5]) {
      const limits = encodingLimits('camera', peers, false, 720);
      expect(720 / limits.scaleResolutionDownBy!).toBe(cameraHeight(peers));
    }
    expect([1, 2, 3, 4, 5].map((n) => encodingLimits('camera', n, false).maxFramerate)).toEqual([30, 30, 20, 15, 15]);
    // A camera smaller than the tile is sent as it is, never scaled up.
    expect(encodingLimits('camera', 3, false, 240).scaleResolutionDownBy).toBe(1);
    // 1080p cameras come down to the same heights.
    expect(1080 / encodingLimits('camera', 5, false, 1080).scaleResolutionDownBy!).toBe(180);
  });

  it('sends cameras as thumbnails of at most 180 lines while a screen is shared', () => {
    for (const [height, peers] of [[720, 1], [720, 3], [1080, 2], [480, 5]] as const) {
      const limits = encodingLimits('camera', peers, true, height);
      expect(height / limits.scaleResolutionDownBy!, `${height} lines, ${peers} peers`).toBeLessThanOrEqual(SHARE_CAMERA_HEIGHT);
      expect(limits.maxFramerate).toBeLessThanOrEqual(15);
    }
    // Unknown capture height: assumed 720.
    expect(encodingLimits('camera', 1, true).scaleResolutionDownBy).toBe(4);
    // A camera already captured at thumbnail size (cameraFit.ts) is sent as it is.
    expect(encodingLimits('camera', 1, true, 180).scaleResolutionDownBy).toBe(1);
    expect(encodingLimits('camera', 1, true, 240).scaleResolutionDownBy).toBeCloseTo(240 / 180);
  });
});
