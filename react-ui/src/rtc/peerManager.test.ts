import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CodecCapabilities } from './codecs';
import { isPolite } from './peerLink';
import { startLimits } from './bandwidth';
import { FakeSender } from './testing/fakeTransceivers';
import { FakePeerConnection, FakeStream, FakeTrack } from './testing/fakeWebRtc';
import { connectedPair, hub, join, joined, meshConnected, member, pc, resetMesh, streamIds, user, type Member } from './testing/mesh';

// The real PeerManager/PeerLink over FakePeerConnection (see ./testing/mesh.ts). The screen's
// transceivers are tested in screenTransceivers.test.ts, the senders' limits and the camera's
// capture in bandwidth.test.ts.

beforeEach(resetMesh);

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

  it('offers and answers VP8 (with rtx) and Opus only, on every m-line including the screen ones', async () => {
    const codec = (mimeType: string) => ({ mimeType, clockRate: 90000 }) as RTCRtpCodec;
    const capabilities: CodecCapabilities = (kind) =>
      kind === 'video'
        ? ['video/VP8', 'video/rtx', 'video/VP9', 'video/H264', 'video/AV1', 'video/red'].map(codec)
        : ['audio/opus', 'audio/G722', 'audio/PCMU', 'audio/telephone-event'].map(codec);
    const [a, b] = await connectedPair({ alice: { codecCapabilities: capabilities }, bob: { codecCapabilities: capabilities } });
    for (const [m, remote] of [[a, 'bob'], [b, 'alice']] as const) {
      const lines = JSON.parse(pc(m, remote).localDescription!.sdp).mlines as { kind: string; codecs: string[] }[];
      expect(lines.map((l) => l.kind)).toEqual(['audio', 'video', 'video', 'audio']);
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
    expect(lines.map((l) => l.codecs)).toEqual([['audio/opus'], null, null, ['audio/opus']]);
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

  it('makes the newcomer\'s camera sender at its start limits, with no setParameters after the negotiation', async () => {
    const setParameters = vi.spyOn(FakeSender.prototype, 'setParameters');
    const slow = { rampUpMs: 60_000 }; // still at the start limits once connected
    const [a, b] = await connectedPair({ alice: slow, bob: slow });
    const camera = (m: Member, to: string) => pc(m, to).getSenders().find((s) => s.track?.kind === 'video')!;
    // Bob joined and offered: his camera's encodings came with its transceiver (720 lines: 4x down to 180).
    expect(camera(b, 'alice').getParameters().encodings).toEqual([startLimits(undefined)]);
    expect(setParameters.mock.contexts).not.toContain(camera(b, 'alice'));
    // Alice answered with addTrack (the only sender an offer's m-line takes): hers follow the negotiation.
    await vi.waitFor(() => expect(camera(a, 'bob').getParameters().encodings).toEqual([{ active: true, ...startLimits(undefined) }]));
    expect(setParameters.mock.contexts).toContain(camera(a, 'bob'));
    setParameters.mockRestore();
  });

  it('shows its connections as a live Map (window.__parley.peers in test builds)', async () => {
    const [a] = await connectedPair();
    const connections = a.manager.connections;
    const bobPc = pc(a, 'bob') as unknown as RTCPeerConnection;
    expect(connections.size).toBe(1);
    expect([...connections]).toEqual([['bob', bobPc]]);
    expect(new Map(connections).get('bob')).toBe(bobPc);
    expect([...connections.values()]).toEqual([bobPc]);
    expect([...connections.keys()]).toEqual(['bob']);
    const seen: string[] = [];
    connections.forEach((value, userId) => seen.push(`${userId}:${value === bobPc}`));
    expect(seen).toEqual(['bob:true']);
    a.manager.handle({ type: 'userLeft', payload: { userId: 'bob' } });
    expect(a.manager.connections).toBe(connections);
    expect(connections.size).toBe(0);
    expect(connections.has('bob')).toBe(false);
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
