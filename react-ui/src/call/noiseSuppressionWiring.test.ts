// @vitest-environment jsdom
/**
 * Noise suppression in a call (media/noiseSuppression.ts wired into CallSession): which microphone
 * track goes out, with which browser suppression it is opened, and that switching needs no new
 * offer. Real CallSession, PeerManager and LocalDevices; a fake RNNoise (no Web Audio in Node), fake
 * peer connections and devices. The real worklet runs in tests/e2e/test_e2e_noise.py.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { audioConstraints } from '../media/localMedia';
import type { Suppressor } from '../media/noiseSuppressor';
import { FakePeerConnection, FakeStream, FakeTrack } from '../rtc/testing/fakeWebRtc';
import { CallSession, type CallSnapshot } from './callSession';
import { FakeSignalingServer } from './testing/fakeServer';

/** A microphone track that says how it was opened. */
class Microphone extends FakeTrack {
  constructor(
    readonly deviceId: string,
    readonly noiseSuppression: boolean,
  ) {
    super('audio', deviceId);
  }
  getSettings() {
    return { deviceId: this.deviceId, noiseSuppression: this.noiseSuppression };
  }
}

/** A stand-in for the RNNoise worklet graph. */
class FakeSuppressor implements Suppressor {
  readonly output = new FakeTrack('audio', 'rnnoise') as unknown as MediaStreamTrack;
  running = true;
  closed = false;
  readonly fed: MediaStreamTrack[] = [];
  private readonly listeners: (() => void)[] = [];
  feed(track: MediaStreamTrack): void {
    this.fed.push(track);
  }
  onRunningChange(listener: () => void): void {
    this.listeners.push(listener);
  }
  setRunning(running: boolean): void {
    this.running = running;
    for (const listener of this.listeners) listener();
  }
  close(): void {
    this.closed = true;
  }
}

function person(server: FakeSignalingServer, userId: string, start: () => Promise<Suppressor>) {
  // Opened as the pre-join page opens it: with the browser's suppression as audioConstraints says.
  const open = (deviceId: string) => new Microphone(deviceId, audioConstraints(deviceId).noiseSuppression as boolean);
  const camera = new FakeStream([open('mic1'), new FakeTrack('video', 'cam1')]);
  const opened: Microphone[] = [];
  const session = new CallSession({
    roomId: server.roomId,
    selfId: userId,
    displayName: userId,
    localStream: camera as unknown as MediaStream,
    audioMuted: false,
    videoMuted: false,
    signalingUrl: 'ws://parley.test/ws',
    createSocket: server.createSocket,
    createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
    createStream: () => new FakeStream() as unknown as MediaStream,
    openDevice: async (_kind, deviceId) => {
      const track = open(deviceId ?? 'default');
      opened.push(track);
      return new FakeStream([track]) as unknown as MediaStream;
    },
    speakerPollMs: 0,
    noiseSuppressor: { start, supported: () => true },
  });
  session.start();
  return { session, camera, opened, get snap(): CallSnapshot { return session.snapshot; } };
}

type Person = ReturnType<typeof person>;

const link = (p: Person, to: string) => p.session.peers.connections.get(to) as unknown as FakePeerConnection;
/** The audio track `p` sends to `to`. */
const sentAudio = (p: Person, to: string) => link(p, to).getSenders().find((s) => s.track?.kind === 'audio')?.track;
const microphone = (p: Person) => p.snap.localStream!.getAudioTracks()[0] as unknown as Microphone;

async function call(start: () => Promise<Suppressor>): Promise<[Person, Person]> {
  const server = new FakeSignalingServer('room');
  const alice = person(server, 'alice', start);
  const bob = person(server, 'bob', async () => new FakeSuppressor());
  await vi.waitFor(() => {
    expect(alice.snap.participants.find((p) => p.userId === 'bob')?.connectionState).toBe('connected');
    expect(bob.snap.participants.find((p) => p.userId === 'alice')?.camera).not.toBeNull();
  });
  return [alice, bob];
}

beforeEach(() => {
  window.localStorage.clear();
  // What rnnoiseSupported() looks for (jsdom has no Web Audio): the microphone is opened as in Chromium.
  vi.stubGlobal('AudioContext', function AudioContext() {});
  vi.stubGlobal('AudioWorkletNode', function AudioWorkletNode() {});
});
afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('noise suppression in a call', () => {
  it('sends the processed microphone, opened without the browser suppression, through mute and a device switch', async () => {
    const rnnoise = new FakeSuppressor();
    const [alice] = await call(async () => rnnoise);
    await vi.waitFor(() => expect(sentAudio(alice, 'bob')).toBe(rnnoise.output));
    expect(alice.snap.noiseSuppression).toBe('on');
    expect(microphone(alice).noiseSuppression).toBe(false);
    expect(rnnoise.fed.at(-1)).toBe(microphone(alice));
    // One stream for both kinds: receivers take a peer's sound from their camera stream.
    const video = alice.camera.getVideoTracks()[0];
    expect(link(alice, 'bob').getSenders().some((s) => s.track === video)).toBe(true);

    alice.session.setAudioMuted(true);
    expect(rnnoise.output.enabled).toBe(false);
    alice.session.setAudioMuted(false);
    expect(rnnoise.output.enabled).toBe(true);

    const offers = link(alice, 'bob').offersMade;
    await alice.session.switchDevice('audio', 'mic2');
    expect(rnnoise.fed.at(-1)).toBe(alice.opened.at(-1));
    expect(sentAudio(alice, 'bob')).toBe(rnnoise.output);
    expect(link(alice, 'bob').offersMade).toBe(offers);

    alice.session.leave();
    expect(rnnoise.closed).toBe(true);
  });

  it('starts RNNoise once the call is connected, not at the Join click (the first pictures come first)', async () => {
    const server = new FakeSignalingServer('room');
    const start = vi.fn(async () => new FakeSuppressor());
    const alice = person(server, 'alice', start);
    await vi.waitFor(() => expect(alice.snap.joined).toBe(true));
    // Alone in the room (until the fallback, call/afterConnect.ts): nothing to start for yet.
    expect(start).not.toHaveBeenCalled();
    expect(alice.snap.noiseSuppression).toBe('starting');
    const bobStart = vi.fn(async () => new FakeSuppressor());
    person(server, 'bob', bobStart);
    await vi.waitFor(() => {
      expect(alice.snap.participants.find((p) => p.userId === 'bob')?.connectionState).toBe('connected');
      expect(start).toHaveBeenCalledTimes(1);
      expect(bobStart).toHaveBeenCalledTimes(1);
    });
    await vi.waitFor(() => expect(alice.snap.noiseSuppression).toBe('on'));
  });

  it('switched off: the raw microphone goes out, reopened with the browser suppression, no new offer; and back on', async () => {
    const made: FakeSuppressor[] = [];
    const [alice] = await call(async () => made[made.push(new FakeSuppressor()) - 1]);
    await vi.waitFor(() => expect(sentAudio(alice, 'bob')).toBe(made[0].output));
    const offers = link(alice, 'bob').offersMade;
    const before = microphone(alice);

    alice.session.setNoiseSuppression(false);

    expect(window.localStorage.getItem('parley.noiseSuppression')).toBe('off');
    expect(alice.snap.noiseSuppression).toBe('off');
    expect(made[0].closed).toBe(true);
    await vi.waitFor(() => expect(microphone(alice)).not.toBe(before));
    expect(before.readyState).toBe('ended');
    expect(microphone(alice)).toMatchObject({ deviceId: 'mic1', noiseSuppression: true });
    expect(sentAudio(alice, 'bob')).toBe(microphone(alice));
    expect(link(alice, 'bob').offersMade).toBe(offers);

    alice.session.setNoiseSuppression(true);
    await vi.waitFor(() => expect(sentAudio(alice, 'bob')).toBe(made[1]?.output));
    await vi.waitFor(() => expect(microphone(alice).noiseSuppression).toBe(false));
    expect(made[1].fed.at(-1)).toBe(microphone(alice));
    expect(link(alice, 'bob').offersMade).toBe(offers);
  });

  it('sends the raw microphone while the audio context is suspended, the processed one once it runs', async () => {
    const rnnoise = new FakeSuppressor();
    rnnoise.running = false;
    const [alice] = await call(async () => rnnoise);
    await vi.waitFor(() => expect(alice.snap.noiseSuppression).toBe('starting'));
    expect(sentAudio(alice, 'bob')).toBe(microphone(alice));
    rnnoise.setRunning(true);
    expect(sentAudio(alice, 'bob')).toBe(rnnoise.output);
    expect(alice.snap.noiseSuppression).toBe('on');
  });

  it('remembers the switch: off from the start, nothing is loaded and the browser suppression is on', async () => {
    window.localStorage.setItem('parley.noiseSuppression', 'off');
    const start = vi.fn(async () => new FakeSuppressor());
    const [alice] = await call(start);
    expect(start).not.toHaveBeenCalled();
    expect(alice.snap.noiseSuppression).toBe('off');
    expect(microphone(alice).noiseSuppression).toBe(true);
    expect(sentAudio(alice, 'bob')).toBe(microphone(alice));
  });

  // Last: a failure marks RNNoise unusable for the rest of the page (this file's module state).
  it('where RNNoise cannot start, sends the raw microphone reopened with the browser suppression, and says so', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const [alice] = await call(async () => {
      throw new Error('CompileError: WebAssembly refused');
    });
    await vi.waitFor(() => expect(alice.snap.noiseSuppression).toBe('unavailable'));
    await vi.waitFor(() => expect(microphone(alice).noiseSuppression).toBe(true));
    expect(sentAudio(alice, 'bob')).toBe(microphone(alice));
  });
});
