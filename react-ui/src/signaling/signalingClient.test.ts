import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff';
import type { ClientMessage, ServerMessage } from './messages';
import { SignalingClient, type SignalingStatus } from './signalingClient';
import { FakeWebSocket } from './testing/fakeWebSocket';
import { signalingUrl } from './url';
import { GUEST_OF_OPEN_ROOM } from './testing/wire';

/** Every socket the client under test opened, in order. */
const sockets: FakeWebSocket[] = [];

function joined(token: string, users: string[] = []): ServerMessage {
  return {
    type: 'joined',
    payload: {
      roomId: 'room1',
      userId: 'alice',
      users: users.map((userId) => ({ userId, displayName: userId, audioMuted: false, videoMuted: false, handRaisedAt: null, role: 'guest' as const, recording: false })),
      screenSharer: null,
      screenStreamId: null,
      iceServers: [],
      resumeToken: token,
      chat: [],
      ...GUEST_OF_OPEN_ROOM,
    },
  };
}

function makeClient(muted = { audioMuted: false, videoMuted: false }) {
  const statuses: SignalingStatus[] = [];
  const messages: ServerMessage[] = [];
  const client = new SignalingClient({
    url: 'ws://parley.test/ws',
    roomId: 'room1',
    userId: 'alice',
    joinFields: () => ({ displayName: 'Alice', ...muted }),
    createSocket: (url) => {
      const socket = new FakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 0.5,
  });
  client.on('status', (status) => statuses.push(status));
  client.on('message', (message) => messages.push(message));
  return { client, statuses, messages, muted };
}

const last = () => sockets[sockets.length - 1];

beforeEach(() => {
  sockets.length = 0;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SignalingClient', () => {
  it('joins the room with name and mute state once the socket opens', () => {
    const { client } = makeClient({ audioMuted: true, videoMuted: false });
    client.connect();
    expect(last().url).toBe('ws://parley.test/ws');
    last().serverOpen();
    expect(last().sent).toEqual([
      {
        type: 'join',
        payload: { roomId: 'room1', userId: 'alice', displayName: 'Alice', audioMuted: true, videoMuted: false },
      },
    ]);
  });

  it('reports joined and hands on server messages', () => {
    const { client, statuses, messages } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1', ['bob']));
    last().serverSend({ type: 'userLeft', payload: { userId: 'bob' } });
    expect(statuses).toEqual(['joined']);
    expect(messages.map((m) => m.type)).toEqual(['joined', 'userLeft']);
    expect(client.resumeToken).toBe('t1');
  });

  it('ignores frames that are not protocol messages', () => {
    const { client, messages } = makeClient();
    client.connect();
    last().serverOpen();
    last().onmessage?.({ data: 'not json' });
    last().onmessage?.({ data: JSON.stringify({ type: 'nonsense', payload: {} }) });
    last().onmessage?.({ data: JSON.stringify({ type: 'userLeft', payload: 'x' }) });
    expect(messages).toEqual([]);
  });

  it('after a drop, shows reconnecting and rejoins with the latest resume token and mute state', () => {
    const { client, statuses, muted } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    last().serverSend(joined('t2')); // e.g. after an earlier silent resume
    muted.audioMuted = true;
    last().serverClose(1006);
    expect(statuses).toEqual(['joined', 'reconnecting']);
    expect(sockets).toHaveLength(1);

    vi.advanceTimersByTime(backoffDelay(0, undefined, () => 0.5));
    expect(sockets).toHaveLength(2);
    last().serverOpen();
    expect(last().sent[0]).toEqual({
      type: 'join',
      payload: {
        roomId: 'room1',
        userId: 'alice',
        displayName: 'Alice',
        audioMuted: true,
        videoMuted: false,
        resumeToken: 't2',
      },
    });
    last().serverSend(joined('t3'));
    expect(statuses).toEqual(['joined', 'reconnecting', 'joined']);
    expect(client.resumeToken).toBe('t3');
  });

  it('backs off exponentially while the server stays away, and resets after a join', () => {
    const { client } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    const delays = [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, undefined, () => 0.5));
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, 6000]);
    last().serverClose(1001, 'server shutting down');
    for (const delay of delays) {
      const count = sockets.length;
      vi.advanceTimersByTime(delay - 1);
      expect(sockets).toHaveLength(count);
      vi.advanceTimersByTime(1);
      expect(sockets).toHaveLength(count + 1);
      last().serverClose(1006);
    }
    vi.advanceTimersByTime(6000);
    last().serverOpen();
    last().serverSend(joined('t2'));
    last().serverClose(1006);
    const count = sockets.length;
    vi.advanceTimersByTime(375);
    expect(sockets).toHaveLength(count + 1);
  });

  it('jitters the delay within [half, full] of the exponential step', () => {
    expect(backoffDelay(3, undefined, () => 0)).toBe(2000);
    expect(backoffDelay(3, undefined, () => 0.999999)).toBe(4000);
    expect(backoffDelay(30, undefined, () => 1)).toBe(8000);
  });

  it.each([
    [4001, 'replaced'],
    [1008, 'policy'],
  ])('does not reconnect after close code %i', (code, kind) => {
    const reasons: unknown[] = [];
    const { client, statuses } = makeClient();
    client.on('status', (_status, reason) => reasons.push(reason));
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    last().serverClose(code);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses).toEqual(['joined', 'closed']);
    expect(reasons[1]).toMatchObject({ kind });
  });

  it('closes with 1000 on leave and never comes back', () => {
    const { client, statuses } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    client.close();
    expect(last().closedWith).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses).toEqual(['joined', 'closed']);
    expect(client.send({ type: 'mediaState', payload: { audioMuted: true, videoMuted: true } })).toBe(false);
  });

  it.each(['roomNotFound', 'roomFull', 'sfuUnavailable'])('stops with the reason when the server refuses the join (%s)', (code) => {
    const reasons: unknown[] = [];
    const { client, statuses } = makeClient();
    client.on('status', (_s, reason) => reasons.push(reason));
    client.connect();
    last().serverOpen();
    last().serverSend({ type: 'error', payload: { code, message: 'no' } });
    vi.advanceTimersByTime(60_000);
    expect(statuses).toEqual(['closed']);
    expect(reasons).toEqual([{ kind: 'refused', errorCode: code, message: 'no' }]);
    expect(sockets).toHaveLength(1);
  });

  it('retries a resume refused with userIdTaken (its token was superseded) until the grace runs out', () => {
    const { client, statuses } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    last().serverClose(1006);
    vi.advanceTimersByTime(375);
    last().serverOpen();
    last().serverSend({ type: 'error', payload: { code: 'userIdTaken', message: 'taken' } });
    expect(statuses).toEqual(['joined', 'reconnecting']);
    vi.advanceTimersByTime(750);
    expect(sockets).toHaveLength(3);
    last().serverOpen();
    last().serverSend(joined('t9'));
    expect(statuses).toEqual(['joined', 'reconnecting', 'joined']);
  });

  it('queues messages while reconnecting and sends them after the rejoin, but not mediaState or screen share', () => {
    const { client } = makeClient();
    client.connect();
    last().serverOpen();
    last().serverSend(joined('t1'));
    last().serverClose(1006);
    const candidate: ClientMessage = {
      type: 'iceCandidate',
      payload: { candidate: { candidate: 'candidate:1' }, targetId: 'bob' },
    };
    expect(client.send(candidate)).toBe(false);
    client.send({ type: 'mediaState', payload: { audioMuted: true, videoMuted: false } });
    client.send({ type: 'startScreenShare', payload: { userId: 'alice', roomId: 'room1', streamId: 's' } });
    vi.advanceTimersByTime(375);
    last().serverOpen();
    expect(last().sent.map((m) => m.type)).toEqual(['join']);
    last().serverSend(joined('t2'));
    expect(last().sent).toEqual([expect.objectContaining({ type: 'join' }), candidate]);
  });

  it('gives up on a socket that never opens and tries again', () => {
    const { client, statuses } = makeClient();
    client.connect();
    vi.advanceTimersByTime(10_000);
    expect(last().closedWith).toBeDefined();
    expect(statuses).toEqual([]); // still "connecting": it never joined
    vi.advanceTimersByTime(375);
    expect(sockets).toHaveLength(2);
    expect(client.status).toBe('connecting');
  });
});

describe('signalingUrl', () => {
  it('uses the same host, ws for http and wss for https', () => {
    expect(signalingUrl({ protocol: 'http:', host: '192.168.1.5:8080' })).toBe('ws://192.168.1.5:8080/ws');
    expect(signalingUrl({ protocol: 'https:', host: 'meet.example' })).toBe('wss://meet.example/ws');
  });
});
