/**
 * A mesh of real PeerManagers (and PeerLinks) over the hand-written FakePeerConnection
 * (fakeWebRtc.ts, which models signalingState transitions, the operations chain, rollback,
 * transceiver reuse and negotiationneeded), wired by an in-memory {@link SignalingHub}: what the
 * peer manager's tests build their calls from. Node has no RTCPeerConnection.
 */
import { expect, vi } from 'vitest';
import type { ServerMessage, WireUser } from '../../signaling/messages';
import type { CodecCapabilities } from '../codecs';
import { PeerManager } from '../peerManager';
import { FakePeerConnection, fakeCameraStream, FakeStream } from './fakeWebRtc';
import { SignalingHub } from './signalingHub';
import { GUEST_OF_OPEN_ROOM } from '../../signaling/testing/wire';

export interface Member {
  id: string;
  manager: PeerManager;
  camera: FakeStream;
  errors: unknown[];
  configs: RTCConfiguration[];
}

/** The relay between this test's members (a fresh one per test: {@link resetMesh}). */
export let hub: SignalingHub = new SignalingHub();

/** A fresh relay and the fake's default behaviour, before each test. */
export function resetMesh(): void {
  hub = new SignalingHub();
  FakePeerConnection.rollbackStopsGathering = false;
}

export interface MemberOptions {
  withCamera?: boolean;
  codecCapabilities?: CodecCapabilities;
  offerWaitMs?: number;
  stallTimeoutMs?: number;
  rampUpMs?: number;
}

export function member(
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
    cameraFitSettleMs: 0,
    createStream: () => new FakeStream() as unknown as MediaStream,
  });
  const camera = fakeCameraStream();
  if (withCamera) manager.setCameraStream(camera as unknown as MediaStream);
  hub.add(id, manager);
  return { id, manager, camera, errors, configs };
}

export const user = (userId: string): WireUser => ({ userId, displayName: userId, audioMuted: false, videoMuted: false, handRaisedAt: null, role: 'guest', recording: false });

export function joined(self: string, others: string[], iceServers: RTCIceServer[] = []): ServerMessage {
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
      chat: [],
      ...GUEST_OF_OPEN_ROOM,
    },
  };
}

/** `newcomer` joins a room where `present` already are, in server order. */
export function join(newcomer: Member, present: Member[]): void {
  newcomer.manager.handle(joined(newcomer.id, present.map((m) => m.id)));
  for (const m of present) m.manager.handle({ type: 'userJoined', payload: user(newcomer.id) });
}

export const pc = (m: Member, remote: string) => m.manager.connections.get(remote) as unknown as FakePeerConnection;
export const streamIds = (m: Member, remote: string) => m.manager.streamsOf(remote).map((s) => s.id);

/** Waits until every pair is connected and stable, and each side has the other's camera. */
export async function meshConnected(members: Member[]): Promise<void> {
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
export async function connectedPair(options: { alice?: MemberOptions; bob?: MemberOptions } = {}): Promise<[Member, Member]> {
  const a = member('alice', options.alice);
  const b = member('bob', options.bob);
  a.manager.handle(joined('alice', []));
  join(b, [a]);
  await meshConnected([a, b]);
  return [a, b];
}
