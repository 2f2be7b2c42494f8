// @vitest-environment jsdom
/**
 * Background effects in a call (media/background.ts wired into CallSession): which camera track goes
 * out on the mesh link, with RNNoise's microphone beside it, the self view, no new offer when
 * switching, and the banner when it cannot run. Real CallSession and PeerManager; a fake processor
 * (no MediaStreamTrackProcessor or workers in Node), fake peer connections. The real workers run in
 * tests/e2e/test_e2e_background.py.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Processor, ProcessorEvents } from '../media/backgroundProcessor';
import type { BackgroundEffectSpec } from '../media/backgroundMessages';
import type { Suppressor } from '../media/noiseSuppressor';
import { FakePeerConnection, FakeStream, FakeTrack } from '../rtc/testing/fakeWebRtc';
import { CallSession, type CallSnapshot } from './callSession';
import { FakeSignalingServer } from './testing/fakeServer';

interface FakeProcessor extends Processor {
  events: ProcessorEvents;
  effects: BackgroundEffectSpec[];
  closed: boolean;
  run(): void;
}

const rnnoise: Suppressor = {
  output: new FakeTrack('audio', 'rnnoise') as unknown as MediaStreamTrack,
  running: true,
  feed: () => undefined,
  onRunningChange: () => undefined,
  close: () => undefined,
} as unknown as Suppressor;

function person(server: FakeSignalingServer, userId: string, made: FakeProcessor[]) {
  const camera = new FakeStream([new FakeTrack('audio', `${userId}-mic`), new FakeTrack('video', `${userId}-cam`)]);
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
    speakerPollMs: 0,
    noiseSuppressor: { start: async () => rnnoise, supported: () => true },
    background: {
      supported: () => true,
      start: (source, first, events) => {
        let running = false;
        const p: FakeProcessor = {
          source,
          output: new FakeTrack('video', `${userId}-processed-${made.length}`) as unknown as MediaStreamTrack,
          get running() {
            return running && !p.closed;
          },
          stats: { frames: 0, segmented: 0, segmentMs: 0 },
          events,
          effects: [first],
          closed: false,
          setEffect: (e) => p.effects.push(e),
          close: () => {
            p.closed = true;
          },
          run: () => {
            running = true;
            events.onRunning();
          },
        };
        made.push(p);
        return p;
      },
    },
  });
  session.start();
  return { session, camera, get snap(): CallSnapshot { return session.snapshot; } };
}

type Person = ReturnType<typeof person>;
const link = (p: Person, to: string) => p.session.peers.connections.get(to) as unknown as FakePeerConnection;
const sent = (p: Person, to: string, kind: 'audio' | 'video') =>
  link(p, to).getSenders().find((s) => s.track?.kind === kind)?.track;

async function call(made: FakeProcessor[]): Promise<[Person, Person]> {
  const server = new FakeSignalingServer('room');
  const alice = person(server, 'alice', made);
  const bob = person(server, 'bob', []);
  await vi.waitFor(() => {
    expect(alice.snap.participants.find((p) => p.userId === 'bob')?.connectionState).toBe('connected');
    expect(bob.snap.participants.find((p) => p.userId === 'alice')?.camera).not.toBeNull();
  });
  return [alice, bob];
}

beforeEach(() => {
  window.localStorage.clear();
  vi.stubGlobal('AudioContext', function AudioContext() {});
  vi.stubGlobal('AudioWorkletNode', function AudioWorkletNode() {});
});
afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('background effects in a call', () => {
  it('sends the processed camera beside the processed microphone once it runs, with no new offer; Off sends the raw one', async () => {
    const made: FakeProcessor[] = [];
    const [alice] = await call(made);
    const raw = alice.camera.getVideoTracks()[0];
    await vi.waitFor(() => expect(sent(alice, 'bob', 'audio')).toBe(rnnoise.output));
    expect(sent(alice, 'bob', 'video')).toBe(raw);
    const offers = link(alice, 'bob').offersMade;

    alice.session.setBackground('blur');
    expect(window.localStorage.getItem('parley.background')).toBe('blur');
    expect(alice.snap.background).toBe('starting');
    expect(sent(alice, 'bob', 'video')).toBe(raw); // the raw camera until the worker runs
    made[0].run();
    expect(alice.snap.background).toBe('on');
    expect(sent(alice, 'bob', 'video')).toBe(made[0].output);
    expect(sent(alice, 'bob', 'audio')).toBe(rnnoise.output);
    // The self view shows what is sent.
    expect(alice.snap.sentCamera?.getVideoTracks()[0]).toBe(made[0].output);

    alice.session.setVideoMuted(true);
    expect(made[0].output.enabled).toBe(false);
    alice.session.setVideoMuted(false);

    alice.session.setBackground('lagoon');
    expect(made).toHaveLength(1);
    expect(made[0].effects.at(-1)).toMatchObject({ kind: 'image' });
    expect(alice.snap.backgroundChoice).toBe('lagoon');

    alice.session.setBackground('off');
    expect(made[0].closed).toBe(true);
    expect(sent(alice, 'bob', 'video')).toBe(raw);
    expect(alice.snap.sentCamera?.getVideoTracks()[0]).toBe(raw);
    expect(link(alice, 'bob').offersMade).toBe(offers);
  });

  it('where it cannot run, keeps sending the raw camera and says so in a banner', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const made: FakeProcessor[] = [];
    const [alice] = await call(made);
    alice.session.setBackground('blur');
    made[0].events.onError(new Error("Cannot read properties of undefined (reading 'activeTexture')"));
    expect(alice.snap.background).toBe('unavailable');
    expect(alice.snap.deviceNotice).toBe('Background effects cannot run here: your camera is sent as it is.');
    expect(sent(alice, 'bob', 'video')).toBe(alice.camera.getVideoTracks()[0]);
  });

  it('starts with the remembered choice', async () => {
    window.localStorage.setItem('parley.background', 'sunset');
    const made: FakeProcessor[] = [];
    const [alice] = await call(made);
    expect(alice.snap.backgroundChoice).toBe('sunset');
    expect(made[0].effects[0]).toMatchObject({ kind: 'image' });
    made[0].run();
    expect(sent(alice, 'bob', 'video')).toBe(made[0].output);
    alice.session.leave();
    expect(made[0].closed).toBe(true);
  });
});
