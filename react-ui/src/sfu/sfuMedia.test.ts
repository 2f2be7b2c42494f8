/**
 * SfuMedia without a browser: what it sends for its two connections, and whose tile each track of
 * the subscribe offer lands on (the offer's `streams`: mid -> user and camera/screen).
 */
import { describe, expect, it } from 'vitest';
import { FakeEventTarget, FakeStream, FakeTrack } from '../rtc/testing/fakeMedia';
import type { ClientMessage, WireSfuStream } from '../signaling/messages';
import { SfuMedia } from './sfuMedia';

/** Just enough of an RTCPeerConnection: SDP is opaque text, tracks arrive when the test says. */
class StubPc extends FakeEventTarget {
  transceivers: { mid: string | null; init?: RTCRtpTransceiverInit; sender: { replaceTrack: (t: unknown) => Promise<void> } }[] = [];
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  connectionState = 'new';
  closed = false;
  addTransceiver(_what: unknown, init?: RTCRtpTransceiverInit): { sender: { replaceTrack: () => Promise<void> } } {
    const t = { mid: String(this.transceivers.length), init, sender: { replaceTrack: async () => {} } };
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() {
    return this.transceivers;
  }
  async createOffer() {
    return { type: 'offer', sdp: `offer with ${this.transceivers.length} m-lines` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.localDescription = d;
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
  }
  async addIceCandidate() {}
  close() {
    this.closed = true;
  }
  /** A remote track on m-line `mid`. */
  arrive(mid: string, track: FakeTrack): void {
    this.dispatch('track', { transceiver: { mid }, track, streams: [] });
  }
}

function setup() {
  const sent: ClientMessage[] = [];
  const pcs: StubPc[] = [];
  const media = new SfuMedia({
    send: (m) => sent.push(m),
    createPeerConnection: () => {
      const pc = new StubPc();
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    createStream: () => new FakeStream() as unknown as MediaStream,
    onChange: () => {},
  });
  return { media, sent, pcs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function subscribeOffer(streams: WireSfuStream[]) {
  return { type: 'sfuOffer' as const, payload: { pc: 'subscribe' as const, sdp: { type: 'offer' as const, sdp: 'janus offer' }, streams } };
}

describe('SfuMedia', () => {
  it('publishes an audio and a video m-line, and adds the screen as a third', async () => {
    const { media, sent, pcs } = setup();
    const camera = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]);
    media.start([], camera as unknown as MediaStream);
    await settle();
    expect(sent).toEqual([{ type: 'sfuOffer', payload: { pc: 'publish', sdp: { type: 'offer', sdp: 'offer with 2 m-lines' } } }]);
    media.handle({ type: 'sfuAnswer', payload: { pc: 'publish', sdp: { type: 'answer', sdp: 'janus answer' } } });
    media.setScreen(new FakeStream([new FakeTrack('video', 'screen')]) as unknown as MediaStream);
    await settle();
    expect(pcs[0].remoteDescription?.sdp).toBe('janus answer');
    expect(sent.at(-1)).toEqual({ type: 'sfuOffer', payload: { pc: 'publish', sdp: { type: 'offer', sdp: 'offer with 3 m-lines' } } });
  });

  it('answers the subscribe offer and puts each track on the tile its mid names', async () => {
    const { media, sent, pcs } = setup();
    media.start([], null);
    media.handle(
      subscribeOffer([
        { mid: '0', userId: 'bob', kind: 'audio' },
        { mid: '1', userId: 'bob', kind: 'camera' },
        { mid: '2', userId: 'cat', kind: 'camera' },
        { mid: '3', userId: 'bob', kind: 'screen' },
      ]),
    );
    await settle();
    expect(sent.at(-1)).toEqual({ type: 'sfuAnswer', payload: { pc: 'subscribe', sdp: { type: 'answer', sdp: 'answer' } } });
    const subscribe = pcs[1];
    const [voice, face, other, screen] = [new FakeTrack('audio'), new FakeTrack('video'), new FakeTrack('video'), new FakeTrack('video')];
    subscribe.arrive('0', voice);
    subscribe.arrive('1', face);
    subscribe.arrive('2', other);
    subscribe.arrive('3', screen);
    expect(media.cameraOf('bob')?.getTracks()).toEqual([voice, face]);
    expect(media.cameraOf('cat')?.getTracks()).toEqual([other]);
    expect(media.screenOf('bob')?.getTracks()).toEqual([screen]);
    expect(media.screenOf('cat')).toBeNull();

    // Bob stops sharing, then Cat leaves: the next offers no longer carry them.
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'audio' }, { mid: '1', userId: 'bob', kind: 'camera' }, { mid: '2', userId: 'cat', kind: 'camera' }]));
    await settle();
    expect(media.screenOf('bob')).toBeNull();
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'audio' }, { mid: '1', userId: 'bob', kind: 'camera' }]));
    await settle();
    expect(media.cameraOf('cat')).toBeNull();
    expect(media.cameraOf('bob')?.getTracks()).toEqual([voice, face]);
    expect(pcs).toHaveLength(2); // one publishing and one subscribing connection, however often renegotiated
    media.close();
    expect(pcs.every((pc) => pc.closed)).toBe(true);
  });

  it('restarts both connections when the room moved to another media server', async () => {
    const { media, sent, pcs } = setup();
    const camera = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]);
    media.start([], camera as unknown as MediaStream);
    media.setScreen(new FakeStream([new FakeTrack('video', 'screen')]) as unknown as MediaStream);
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'audio' }, { mid: '1', userId: 'bob', kind: 'camera' }]));
    await settle();
    pcs[1].arrive('1', new FakeTrack('video'));
    expect(media.cameraOf('bob')).not.toBeNull();
    const before = sent.length;

    media.restart([], camera as unknown as MediaStream);
    await settle();
    expect(pcs[0].closed && pcs[1].closed).toBe(true);
    expect(media.cameraOf('bob')).toBeNull(); // the old subscription carries nothing any more
    expect(media.state).toBe('new');
    // A fresh publishing connection with camera, microphone and the screen still shared: one offer.
    expect(pcs).toHaveLength(3);
    expect(sent.slice(before)).toEqual([{ type: 'sfuOffer', payload: { pc: 'publish', sdp: { type: 'offer', sdp: 'offer with 3 m-lines' } } }]);
    // The new subscription comes as a new connection.
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'camera' }]));
    await settle();
    expect(pcs).toHaveLength(4);
    expect(sent.at(-1)).toEqual({ type: 'sfuAnswer', payload: { pc: 'subscribe', sdp: { type: 'answer', sdp: 'answer' } } });
    expect([...media.connections.values()]).toEqual([pcs[2], pcs[3]]);
  });

  it('publishes the camera in three simulcast layers and the screen in one', async () => {
    const { media, pcs } = setup();
    media.start([], new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]) as unknown as MediaStream);
    media.setScreen(new FakeStream([new FakeTrack('video', 'screen')]) as unknown as MediaStream);
    await settle();
    const [audio, camera, screen] = pcs[0].transceivers.map((t) => t.init?.sendEncodings);
    expect(audio).toBeUndefined();
    expect(camera?.map((e) => [e.rid, e.scaleResolutionDownBy ?? 1])).toEqual([['h', 1], ['m', 2], ['l', 4]]);
    expect(screen).toHaveLength(1);
    expect(screen?.[0].rid).toBeUndefined();
  });

  it('tells the server the layer it needs of each camera it receives, and only what changed', async () => {
    const { media, sent } = setup();
    media.start([], null);
    const layerMessages = () => sent.filter((m) => m.type === 'sfuLayer').map((m) => m.payload);
    media.setLayers(new Map([['bob', 'low'], ['cat', 'high']]));
    expect(layerMessages()).toEqual([]); // nothing received yet
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'audio' }, { mid: '1', userId: 'bob', kind: 'camera' }]));
    await settle();
    expect(layerMessages()).toEqual([{ userId: 'bob', layer: 'low' }]); // Cat sends no camera yet
    media.handle(subscribeOffer([{ mid: '0', userId: 'bob', kind: 'audio' }, { mid: '1', userId: 'bob', kind: 'camera' }, { mid: '2', userId: 'cat', kind: 'camera' }]));
    await settle();
    expect(layerMessages()).toEqual([{ userId: 'bob', layer: 'low' }, { userId: 'cat', layer: 'high' }]);
    media.setLayers(new Map([['bob', 'high'], ['cat', 'high']]));
    media.setLayers(new Map([['bob', 'high'], ['cat', 'high']]));
    expect(layerMessages().slice(2)).toEqual([{ userId: 'bob', layer: 'high' }]);
    // Bob's camera moves to another m-line (he republished): it starts anew, so it is said again.
    media.handle(subscribeOffer([{ mid: '2', userId: 'cat', kind: 'camera' }, { mid: '3', userId: 'bob', kind: 'camera' }]));
    await settle();
    expect(layerMessages().slice(3)).toEqual([{ userId: 'bob', layer: 'high' }]);
  });

  it('sends the screen with its sound, and plays a screen sound with that screen, not the camera', async () => {
    const { media, sent, pcs } = setup();
    const voice = new FakeTrack('audio');
    media.start([], new FakeStream([voice, new FakeTrack('video')]) as unknown as MediaStream);
    media.setScreen(new FakeStream([new FakeTrack('video', 'screen'), new FakeTrack('audio', 'tab sound')]) as unknown as MediaStream);
    await settle();
    expect(sent.filter((m) => m.type === 'sfuOffer').at(-1)).toEqual({ type: 'sfuOffer', payload: { pc: 'publish', sdp: { type: 'offer', sdp: 'offer with 4 m-lines' } } });

    media.handle(
      subscribeOffer([
        { mid: '0', userId: 'bob', kind: 'audio' },
        { mid: '1', userId: 'bob', kind: 'camera' },
        { mid: '2', userId: 'bob', kind: 'screen' },
        { mid: '3', userId: 'bob', kind: 'screen' },
      ]),
    );
    await settle();
    const [mic, face, picture, sound] = [new FakeTrack('audio'), new FakeTrack('video'), new FakeTrack('video'), new FakeTrack('audio')];
    for (const [mid, track] of [['0', mic], ['1', face], ['3', sound], ['2', picture]] as const) pcs[1].arrive(mid, track);
    expect(media.cameraOf('bob')?.getTracks()).toEqual([mic, face]);
    expect(media.screenOf('bob')?.getTracks()).toEqual([sound, picture]);
  });
});
