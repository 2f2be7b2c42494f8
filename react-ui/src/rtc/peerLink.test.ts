import { describe, expect, it, vi } from 'vitest';
import type { ClientMessage, WireSdp } from '../signaling/messages';
import { PeerLink } from './peerLink';
import { FakePeerConnection } from './testing/fakeWebRtc';

// One PeerLink over FakePeerConnection: the order of its calls into the connection. The mesh as a
// whole is tested in peerManager.test.ts.

function link(pc: FakePeerConnection, sent: ClientMessage[]): PeerLink {
  return new PeerLink({
    selfId: 'bob',
    remoteId: 'alice',
    pc: pc as unknown as RTCPeerConnection,
    send: (message) => sent.push(message),
    onTrack: () => {},
    onStateChange: () => {},
    onStable: () => {},
  });
}

async function offerFrom(remote: FakePeerConnection): Promise<WireSdp> {
  remote.addTransceiver('audio', { direction: 'sendrecv' });
  await remote.setLocalDescription();
  return { type: 'offer', sdp: remote.localDescription!.sdp };
}

describe('PeerLink', () => {
  it('adds a candidate that comes while an offer is applied and answered only once the answer is made', async () => {
    // In Chromium addIceCandidate blocks the page until WebRTC's thread is done with the
    // description in progress: made meanwhile, it held up every other message of a join.
    const remote = new FakePeerConnection();
    const offer = await offerFrom(remote);
    const pc = new FakePeerConnection();
    const calls: string[] = [];
    const add = vi.spyOn(pc, 'addIceCandidate');
    add.mockImplementation(function (this: FakePeerConnection, candidate) {
      calls.push('addIceCandidate');
      return FakePeerConnection.prototype.addIceCandidate.call(this, candidate);
    });
    const setLocal = pc.setLocalDescription.bind(pc);
    vi.spyOn(pc, 'setLocalDescription').mockImplementation((description) => {
      calls.push('setLocalDescription');
      return setLocal(description);
    });
    const sent: ClientMessage[] = [];
    const bob = link(pc, sent);
    const described = bob.handleDescription(offer);
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    await bob.handleCandidate(candidate);
    expect(add).not.toHaveBeenCalled();
    await described;
    await vi.waitFor(() => expect(add).toHaveBeenCalledTimes(1));
    expect(calls).toEqual(['setLocalDescription', 'addIceCandidate']);
    expect(sent.map((m) => m.type)).toEqual(['answer']);
    // With the description in, the next candidate goes in at once.
    await bob.handleCandidate({ ...candidate, candidate: 'candidate:2 1 udp 1 127.0.0.1 10 typ host' });
    expect(add).toHaveBeenCalledTimes(2);
  });

  it('keeps a candidate that comes before any description until the offer is in', async () => {
    const remote = new FakePeerConnection();
    const offer = await offerFrom(remote);
    const pc = new FakePeerConnection();
    const add = vi.spyOn(pc, 'addIceCandidate');
    const errors: unknown[] = [];
    const bob = new PeerLink({
      selfId: 'bob', remoteId: 'alice', pc: pc as unknown as RTCPeerConnection, send: () => {},
      onTrack: () => {}, onStateChange: () => {}, onStable: () => {}, onError: (e) => errors.push(e),
    });
    await bob.handleCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    expect(add).not.toHaveBeenCalled();
    await bob.handleDescription(offer);
    await vi.waitFor(() => expect(add).toHaveBeenCalledTimes(1));
    expect(errors).toEqual([]);
  });
});
