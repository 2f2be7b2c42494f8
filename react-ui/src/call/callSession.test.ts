import { describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, fakeCameraStream, FakeStream, FakeTrack } from '../rtc/testing/fakeWebRtc';
import { CallSession, type CallSnapshot } from './callSession';
import { FakeSignalingServer } from './testing/fakeServer';

// Whole-client tests: real CallSession, SignalingClient, PeerManager and screen-share controller,
// against an in-memory model of the server (./testing/fakeServer.ts) and the hand-written fake
// RTCPeerConnection (../rtc/testing/fakeWebRtc.ts), since Node has no WebRTC.

function person(
  server: FakeSignalingServer,
  userId: string,
  options: { audioMuted?: boolean; noDefault?: boolean; iceRefreshMinMs?: number } = {},
) {
  const camera = fakeCameraStream();
  const screens: FakeStream[] = [];
  const opened: FakeTrack[] = [];
  const pcs: FakePeerConnection[] = [];
  const session = new CallSession({
    roomId: server.roomId,
    selfId: userId,
    displayName: userId.toUpperCase(),
    localStream: camera as unknown as MediaStream,
    audioMuted: options.audioMuted ?? false,
    videoMuted: false,
    signalingUrl: 'ws://parley.test/ws',
    createSocket: server.createSocket,
    createPeerConnection: (config) => {
      const pc = new FakePeerConnection(config);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    createStream: () => new FakeStream() as unknown as MediaStream,
    getDisplayMedia: async () => {
      const screen = new FakeStream([new FakeTrack('video', 'screen')]);
      screens.push(screen);
      return screen as unknown as MediaStream;
    },
    openDevice: async (kind, deviceId) => {
      if (deviceId === 'busy' || (deviceId === undefined && options.noDefault)) {
        throw Object.assign(new Error('busy'), { name: 'NotReadableError' });
      }
      const track = new FakeTrack(kind, deviceId ?? 'default');
      opened.push(track);
      return new FakeStream([track]) as unknown as MediaStream;
    },
    backoff: { initialMs: 5, maxMs: 10, factor: 2 },
    speakerPollMs: 0,
    iceRefreshMinMs: options.iceRefreshMinMs,
  });
  session.start();
  return { session, camera, screens, opened, pcs, get snap(): CallSnapshot { return session.snapshot; } };
}

type Person = ReturnType<typeof person>;

const other = (p: Person, userId: string) => p.snap.participants.find((x) => x.userId === userId);
/** The id receivers see `p`'s screen under (the same on every link). */
const screenId = (p: Person) => p.session.peers.screenStreamId;
/** Whether `p` sends `track` to `to`. */
const sends = (p: Person, to: Person, track: unknown) =>
  (p.session.peers.connections.get(to.snap.selfId) as unknown as FakePeerConnection).getSenders().some((s) => s.track === track);

async function inCallTogether(...people: Person[]): Promise<void> {
  await vi.waitFor(() => {
    for (const p of people) {
      expect(p.snap.status).toBe('joined');
      for (const q of people) {
        if (p === q) continue;
        expect(other(p, q.snap.selfId)?.camera?.id, `${p.snap.selfId} sees ${q.snap.selfId}`).toBe(q.camera.id);
        expect(other(p, q.snap.selfId)?.connectionState).toBe('connected');
      }
    }
  });
}

describe('CallSession', () => {
  it('two people join and see each other, with names and mute state', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    const bob = person(server, 'bob', { audioMuted: true });
    await inCallTogether(alice, bob);
    expect(other(alice, 'bob')).toMatchObject({ displayName: 'BOB', audioMuted: true, videoMuted: false });
    expect(bob.camera.getAudioTracks()[0].enabled).toBe(false);
    expect(alice.session.peers.connections.get('bob')).toBeDefined();
  });

  it('makes a new snapshot only when something on screen changes (not for offers, answers or candidates)', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    const snapshots: CallSnapshot[] = [];
    alice.session.subscribe((snap) => snapshots.push(snap));
    const bob = person(server, 'bob');
    await inCallTogether(alice, bob);
    // Each snapshot differs from the one before it in something the page shows.
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]).not.toEqual(snapshots[i - 1]);
    // Bob's arrival, his track, his connection states: a handful, not one per signaling message.
    expect(snapshots.length).toBeLessThanOrEqual(6);
    // A message that changes nothing leaves the snapshot as it is.
    const before = alice.snap;
    alice.session.setAudioMuted(false);
    expect(alice.snap).toBe(before);
  });

  it('switches camera and microphone during the call with no new offer, keeping the mute state', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    const link = alice.session.peers.connections.get('bob') as unknown as FakePeerConnection;
    const offers = link.offersMade;
    const [oldVideo] = alice.camera.getVideoTracks();
    const [oldAudio] = alice.camera.getAudioTracks();
    alice.session.setVideoMuted(true);

    await alice.session.switchDevice('video', 'cam2');

    const [cam2] = alice.opened;
    expect(sends(alice, bob, cam2)).toBe(true);
    expect(sends(alice, bob, oldVideo)).toBe(false);
    expect(oldVideo.readyState).toBe('ended');
    expect(cam2.enabled).toBe(false); // still muted
    expect(alice.snap.localStream?.getTracks()).toEqual([oldAudio, cam2]);
    expect(link.offersMade).toBe(offers);

    await alice.session.switchDevice('audio', 'mic2');
    expect(sends(alice, bob, alice.opened[1])).toBe(true);
    expect(oldAudio.readyState).toBe('ended');
  });

  it('goes on with the default device when the camera stops by itself, and says so', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    const [unplugged] = alice.camera.getVideoTracks();

    unplugged.endFromBrowser();

    await vi.waitFor(() => expect(alice.opened).toHaveLength(1));
    const [fallback] = alice.opened;
    await vi.waitFor(() => expect(sends(alice, bob, fallback)).toBe(true));
    expect(alice.snap.localStream?.getVideoTracks()).toEqual([fallback]);
    expect(alice.snap.deviceNotice).toMatch(/camera stopped, so the call goes on with the default one/);
    alice.session.dismissDeviceNotice();
    expect(alice.snap.deviceNotice).toBeNull();
  });

  it('says when a stopped microphone cannot be replaced', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice', { noDefault: true }), person(server, 'bob')];
    await inCallTogether(alice, bob);
    alice.camera.getAudioTracks()[0].endFromBrowser();
    await vi.waitFor(() => expect(alice.snap.deviceNotice).toMatch(/microphone stopped and no other could be started/));
  });

  it('keeps the old device when the new one cannot be opened', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    const [video] = alice.camera.getVideoTracks();
    await expect(alice.session.switchDevice('video', 'busy')).rejects.toMatchObject({ name: 'NotReadableError' });
    expect(sends(alice, bob, video)).toBe(true);
    expect(video.readyState).toBe('live');
  });

  it('asks for fresh TURN credentials before they expire and gives them to its connections', async () => {
    const server = new FakeSignalingServer('room', 6, 1); // credentials valid for 1 s
    const [alice, bob] = [person(server, 'alice', { iceRefreshMinMs: 0 }), person(server, 'bob', { iceRefreshMinMs: 0 })];
    await inCallTogether(alice, bob);
    const link = alice.session.peers.connections.get('bob') as unknown as FakePeerConnection;
    const first = link.getConfiguration().iceServers?.[0].username;
    expect(first).toMatch(/^[\d.]+:alice$/);
    // Half-way through their life (0.5 s) alice asks, and her connection gets the new ones.
    await vi.waitFor(() => {
      expect(server.iceRefreshes).toBeGreaterThan(0);
      expect(link.getConfiguration().iceServers?.[0].username).not.toBe(first);
    });
    alice.session.leave();
    bob.session.leave();
  });

  it('muting disables the track and the others see it', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    alice.session.setAudioMuted(true);
    expect(alice.snap.audioMuted).toBe(true);
    expect(alice.camera.getAudioTracks()[0].enabled).toBe(false);
    await vi.waitFor(() => expect(other(bob, 'alice')?.audioMuted).toBe(true));
    alice.session.setVideoMuted(true);
    await vi.waitFor(() => expect(other(bob, 'alice')?.videoMuted).toBe(true));
    expect(alice.camera.getVideoTracks()[0].enabled).toBe(false);
  });

  it('a shared screen reaches the stage of everyone, and a new share replaces it', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob, carol] = [person(server, 'alice'), person(server, 'bob'), person(server, 'carol')];
    await inCallTogether(alice, bob, carol);

    alice.session.startScreenShare();
    await vi.waitFor(() => {
      expect(alice.snap.sharing).toBe(true);
      expect(alice.snap.stageStream?.id).toBe(alice.screens[0].id);
      for (const p of [bob, carol]) {
        expect(p.snap.sharer?.userId).toBe('alice');
        expect(p.snap.stageStream?.id).toBe(screenId(alice));
        expect(sends(alice, p, alice.screens[0].getVideoTracks()[0])).toBe(true);
      }
    });
    expect(server.sharer?.streamId).toBe(screenId(alice));
    // The camera keeps going beside the screen.
    expect(other(bob, 'alice')?.camera?.id).toBe(alice.camera.id);

    bob.session.startScreenShare();
    await vi.waitFor(() => {
      for (const p of [alice, bob, carol]) {
        expect(p.snap.sharer?.userId).toBe('bob');
        expect(p.snap.stageStream?.id).toBe(p === bob ? bob.screens[0].id : screenId(bob));
      }
      expect(alice.snap.sharing).toBe(false);
      for (const p of [bob, carol]) expect(sends(alice, p, alice.screens[0].getVideoTracks()[0])).toBe(false);
      for (const p of [alice, carol]) expect(sends(bob, p, bob.screens[0].getVideoTracks()[0])).toBe(true);
    });
    expect(alice.screens[0].getVideoTracks()[0].readyState).toBe('ended');
    expect(server.sharer?.userId).toBe('bob');
  });

  it("the browser's own stop button ends the share for everyone", async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    alice.session.startScreenShare();
    await vi.waitFor(() => expect(bob.snap.stageStream).not.toBeNull());
    alice.screens[0].getVideoTracks()[0].endFromBrowser();
    await vi.waitFor(() => {
      expect(bob.snap.sharer).toBeNull();
      expect(bob.snap.stageStream).toBeNull();
      expect(alice.snap.sharing).toBe(false);
    });
  });

  it('a late joiner sees the current share', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    alice.session.startScreenShare();
    await vi.waitFor(() => expect(server.sharer?.userId).toBe('alice'));
    const bob = person(server, 'bob');
    await vi.waitFor(() => {
      expect(bob.snap.stageStream?.id).toBe(screenId(alice));
      expect(sends(alice, bob, alice.screens[0].getVideoTracks()[0])).toBe(true);
    });
  });

  it('a cancelled screen picker leaves the call as it was, with no error', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    const cancelled = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    (alice.session.screenShare as unknown as { options: { getDisplayMedia: () => Promise<never> } }).options.getDisplayMedia = () =>
      Promise.reject(cancelled);
    alice.session.startScreenShare();
    await vi.waitFor(() => expect(alice.session.screenShare.state.phase).toBe('idle'));
    expect(alice.snap).toMatchObject({ sharing: false, shareError: null, status: 'joined' });
  });

  it('leaving closes the socket with 1000, stops the camera, and the others see the leave', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    alice.session.startScreenShare();
    await vi.waitFor(() => expect(bob.snap.stageStream).not.toBeNull());
    alice.session.leave();
    expect(server.sockets[0].closedWith).toBe(1000);
    expect(alice.camera.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    expect(alice.screens[0].getTracks()[0].readyState).toBe('ended');
    expect(alice.snap).toMatchObject({ status: 'closed', closedReason: { kind: 'left' } });
    await vi.waitFor(() => {
      expect(bob.snap.participants).toEqual([]);
      expect(bob.snap.sharer).toBeNull();
      expect(bob.session.peers.connections.size).toBe(0);
    });
  });

  it('a full room ends the attempt with a reason the page can show', async () => {
    const server = new FakeSignalingServer('room', 1);
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    const bob = person(server, 'bob');
    await vi.waitFor(() => expect(bob.snap.status).toBe('closed'));
    expect(bob.snap.closedReason).toMatchObject({ kind: 'refused', errorCode: 'roomFull' });
    expect(bob.camera.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    expect(alice.snap.participants).toEqual([]);
  });

  it('after a dropped connection it resumes silently: same peer connection, nobody saw a leave', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    const pc = alice.session.peers.connections.get('bob');
    const seenByBob: string[][] = [];
    bob.session.subscribe((s) => seenByBob.push(s.participants.map((p) => p.userId)));
    const statuses: string[] = [];
    alice.session.subscribe((s) => statuses.push(s.status));

    server.dropConnection('alice');
    await vi.waitFor(() => expect(statuses).toContain('reconnecting'));
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    alice.session.setAudioMuted(true);
    await vi.waitFor(() => expect(other(bob, 'alice')?.audioMuted).toBe(true));

    expect(alice.session.peers.connections.get('bob')).toBe(pc);
    expect(seenByBob.every((ids) => ids.includes('alice'))).toBe(true);
    expect(server.sockets.filter((s) => s.sent[0]?.type === 'join')).toHaveLength(3);
    expect(server.sockets[2].sent[0]).toMatchObject({ type: 'join', payload: { userId: 'alice', resumeToken: 'tok1' } });
  });

  it('after a rejoin keeps someone the server no longer lists while their connection lives, and drops them when it fails', async () => {
    const server = new FakeSignalingServer('room');
    const [alice, bob] = [person(server, 'alice'), person(server, 'bob')];
    await inCallTogether(alice, bob);
    server.forget('bob');
    server.dropConnection('alice');
    await vi.waitFor(() => expect(server.sockets).toHaveLength(3));
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    expect(other(alice, 'bob')).toBeDefined();
    const pc = alice.session.peers.connections.get('bob') as unknown as FakePeerConnection;
    pc.simulateIceFailure();
    await vi.waitFor(() => expect(alice.snap.participants).toEqual([]));
    expect(alice.session.peers.connections.has('bob')).toBe(false);
  });

  it('has the leave beacon body with the latest resume token while in the call, and none after leaving', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    expect(alice.session.leaveBeaconBody()).toBeNull();
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    expect(JSON.parse(alice.session.leaveBeaconBody()!)).toEqual({ roomId: 'room', userId: 'alice', resumeToken: 'tok1' });
    alice.session.leave();
    expect(alice.session.leaveBeaconBody()).toBeNull();
  });

  it('keeps playing the mesh while the room moves to the SFU, until the SFU brings the video', async () => {
    const server = new FakeSignalingServer('room');
    const alice = person(server, 'alice');
    await vi.waitFor(() => expect(alice.snap.status).toBe('joined'));
    const bob = person(server, 'bob');
    await inCallTogether(alice, bob);
    const meshLink = alice.session.peers.connections.get('bob') as unknown as FakePeerConnection;
    const made = alice.pcs.length;
    // The fake connections cannot make an SFU offer; what matters here is what Alice shows meanwhile.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.tellEveryone({ type: 'topology', payload: { mode: 'sfu' } });
    // Alice opens her publishing connection to the SFU, which brings nothing yet: Bob's tile
    // still plays his mesh stream, on the mesh link (before: closed at once, the tile empty).
    await vi.waitFor(() => expect(alice.pcs.length).toBe(made + 1));
    expect(other(alice, 'bob')?.camera?.id).toBe(bob.camera.id);
    expect(meshLink.connectionState).toBe('connected');
    alice.session.leave();
    bob.session.leave();
    warn.mockRestore();
  });
});
