import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeStream, FakeTrack } from './testing/fakeWebRtc';
import { connectedPair, hub, join, meshConnected, member, pc, resetMesh, streamIds, type Member } from './testing/mesh';

// Our screen's transceiver on every link (screenTransceivers.ts) and the remote screens it brings
// (remoteStreams.ts), through the real PeerManager over FakePeerConnection (./testing/mesh.ts).

beforeEach(resetMesh);

describe('screen transceivers', () => {
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

  it("sends the screen's sound beside its video, to later peers too, in the screen's stream and never the camera's", async () => {
    const [a, b] = await connectedPair();
    const offers = () => hub.log.filter((m) => m.type === 'offer').length;
    const offersBefore = offers();
    const screenAudioSender = (m: Member, remote: string) =>
      pc(m, remote).getTransceivers().filter((t) => t.kind === 'audio')[1].sender;
    const microphoneSender = (m: Member, remote: string) =>
      pc(m, remote).getTransceivers().filter((t) => t.kind === 'audio')[0].sender;

    const screen = new FakeStream([new FakeTrack('video', 'screen'), new FakeTrack('audio', 'tab sound')]);
    const sound = screen.getAudioTracks()[0];
    a.manager.setScreenStream(screen as unknown as MediaStream);
    await vi.waitFor(() => expect(screenAudioSender(a, 'bob').track).toBe(sound));
    expect(microphoneSender(a, 'bob').track).toBe(a.camera.getAudioTracks()[0]);
    // bob hears it on alice's screen stream; her camera stream keeps only her microphone.
    expect(b.manager.screensOf('alice')[0].getAudioTracks()).toHaveLength(1);
    expect(b.manager.cameraOf('alice')?.getAudioTracks()).toHaveLength(1);
    expect(b.manager.cameraOf('alice')?.id).toBe(a.camera.id);

    const c = member('carol');
    join(c, [a, b]);
    await meshConnected([a, b, c]);
    await vi.waitFor(() => expect(screenAudioSender(a, 'carol').track).toBe(sound));
    expect(c.manager.screensOf('alice').map((s) => s.id)).toEqual([a.manager.screenStreamId]);
    expect(c.manager.screensOf('alice')[0].getAudioTracks()).toHaveLength(1);
    expect(c.manager.cameraOf('alice')?.getAudioTracks()).toHaveLength(1);
    expect(offers() - offersBefore).toBe(2); // carol's two join offers: the sound needed no negotiation

    a.manager.setScreenStream(null);
    await vi.waitFor(() => {
      expect(screenAudioSender(a, 'bob').track).toBeNull();
      expect(screenAudioSender(a, 'carol').track).toBeNull();
    });
    expect(microphoneSender(a, 'bob').track).toBe(a.camera.getAudioTracks()[0]);
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });
});
