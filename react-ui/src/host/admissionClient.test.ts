/**
 * The signaling client with issue 14's admission: the join carries the host token and password, a
 * refusal for them ends the attempt, the lobby's wait ends in joined or a denial, and 4003/4004 (removed,
 * meeting ended) never reconnect.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../signaling/messages';
import { SignalingClient, type ClosedReason, type SignalingStatus } from '../signaling/signalingClient';
import { FakeWebSocket } from '../signaling/testing/fakeWebSocket';

const sockets: FakeWebSocket[] = [];

function makeClient(fields: { hostToken?: string; password?: string } = {}) {
  const statuses: Array<[SignalingStatus, ClosedReason | undefined]> = [];
  const client = new SignalingClient({
    url: 'ws://parley.test/ws',
    roomId: 'room1',
    userId: 'alice',
    joinFields: () => ({ displayName: 'Alice', ...fields }),
    createSocket: (url) => {
      const socket = new FakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 0.5,
  });
  client.on('status', (status, reason) => statuses.push([status, reason]));
  client.connect();
  sockets[0].serverOpen();
  return { client, statuses };
}

const joined = {
  type: 'joined',
  payload: {
    roomId: 'room1', userId: 'alice', users: [], screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 'tok', chat: [],
    role: 'guest', room: { lobby: false, locked: false, passwordRequired: false },
  },
} as unknown as ServerMessage;
const error = (code: string) => ({ type: 'error', payload: { code, message: code } }) as ServerMessage;

beforeEach(() => {
  sockets.length = 0;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('admission in the signaling client', () => {
  it('sends the host token and the password with the join', () => {
    makeClient({ hostToken: 'h'.repeat(32), password: 'secret' });
    expect(sockets[0].sent[0]).toMatchObject({ type: 'join', payload: { hostToken: 'h'.repeat(32), password: 'secret' } });
  });

  it.each(['roomLocked', 'passwordRequired', 'wrongPassword', 'rateLimited'])('ends the attempt on %s, without retrying', (code) => {
    const { statuses } = makeClient();
    sockets[0].serverSend(error(code));
    expect(statuses.at(-1)).toEqual(['closed', { kind: 'refused', errorCode: code, message: code }]);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('waits in the lobby until joined, and a denial there ends it', () => {
    const { client, statuses } = makeClient();
    sockets[0].serverSend({ type: 'waiting', payload: {} } as unknown as ServerMessage);
    expect(client.status).toBe('connecting');
    sockets[0].serverSend(error('admissionDenied'));
    sockets[0].serverClose(4003);
    expect(statuses.at(-1)?.[1]).toMatchObject({ kind: 'refused', errorCode: 'admissionDenied' });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it.each([
    [4003, 'removed'],
    [4004, 'ended'],
  ])('never reconnects after close code %i (%s)', (code, kind) => {
    const { client, statuses } = makeClient();
    sockets[0].serverSend(joined);
    expect(client.status).toBe('joined');
    sockets[0].serverClose(code);
    expect(statuses.at(-1)?.[0]).toBe('closed');
    expect(statuses.at(-1)?.[1]?.kind).toBe(kind);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});
