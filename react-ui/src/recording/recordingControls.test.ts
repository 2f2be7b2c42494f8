import { describe, expect, it } from 'vitest';
import type { ClientMessage, ServerMessage } from '../signaling/messages';
import type { ChunkSink, RecordingSaved } from './chunkWriter';
import { RecordingControls, type RecorderLike } from './recordingControls';

/** The signaling client's part RecordingControls uses: what it sent, and messages to hand it. */
function fakeSignaling() {
  const listeners: Array<(message: ServerMessage) => void> = [];
  const sent: ClientMessage[] = [];
  return {
    sent,
    on: (_event: 'message', listener: (message: ServerMessage) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
    send: (message: ClientMessage) => (sent.push(message), true),
    receive: (message: ServerMessage) => listeners.forEach((l) => l(message)),
  };
}

const joined: ServerMessage = {
  type: 'joined',
  payload: {
    roomId: 'room1', userId: 'ann', users: [], screenSharer: null, screenStreamId: null, iceServers: [],
    resumeToken: 't', chat: [], role: 'guest', room: { lobby: false, locked: false, passwordRequired: false }, waiting: [], topology: 'mesh',
  },
};

function controls() {
  const signaling = fakeSignaling();
  const offered: string[] = [];
  const sink: ChunkSink = {
    write: async () => undefined,
    close: async (): Promise<RecordingSaved> => ({ kind: 'download', name: 'n.webm', file: new Blob(['x']) }),
    abort: async () => undefined,
  };
  const recorder: RecorderLike = {
    start: () => undefined,
    stop: () => sink.close(),
    abort: async () => undefined,
    elapsedMs: () => 0,
    framesDrawn: 0,
    drawMs: 0,
    offThread: null,
    writer: { chunks: 0 },
  };
  const recording = new RecordingControls({
    selfId: 'ann', roomId: 'room1', signaling,
    scene: () => ({ stage: null, tiles: [], audio: [] }),
    openSink: async (name) => {
      offered.push(name);
      return { sink, inMemory: false };
    },
    offer: (_file, name) => offered.push(`download ${name}`),
    createRecorder: () => recorder,
  });
  const consent = () => signaling.sent.filter((m) => m.type === 'recording').map((m) => (m.payload as { active: boolean }).active);
  return { signaling, recording, consent, offered };
}

describe('RecordingControls', () => {
  it('says recording{active:true} on start and {active:false} on stop, then offers the download', async () => {
    const { recording, consent, offered } = controls();
    await recording.start();
    expect(recording.state.phase).toBe('recording');
    expect(consent()).toEqual([true]);
    expect(offered[0]).toMatch(/^parley-room1-\d{4}-\d\d-\d\d-\d{4}\.webm$/);
    await recording.stop();
    expect(consent()).toEqual([true, false]);
    expect(recording.state.phase).toBe('idle');
    expect(offered[1]).toBe('download n.webm');
    expect(recording.state.saved).toEqual({ name: 'n.webm', path: null });
  });

  it('says its state again after every joined once it has recorded, and not before', async () => {
    const { signaling, recording, consent } = controls();
    signaling.receive(joined);
    expect(consent()).toEqual([]);
    await recording.start();
    signaling.receive(joined); // a resume: the server kept the flag, we say it again
    expect(consent()).toEqual([true, true]);
    await recording.stop();
    signaling.receive(joined); // the stop may have been lost while we were away
    expect(consent()).toEqual([true, true, false, false]);
  });

  it('stops and saves a recording under way when the call ends', async () => {
    const { recording, offered } = controls();
    await recording.start();
    recording.dispose();
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(offered.at(-1)).toBe('download n.webm');
  });
});
