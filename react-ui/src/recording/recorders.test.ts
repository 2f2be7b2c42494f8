import { describe, expect, it } from 'vitest';
import type { ServerMessage, WireUser } from '../signaling/messages';
import { recordingFileName } from './fileName';
import { initialRecorders, recorderNames, recordersReducer, type RecordersState } from './recorders';

const user = (userId: string, displayName: string, recording = false): WireUser => ({
  userId, displayName, audioMuted: false, videoMuted: false, handRaisedAt: null, role: 'guest', recording,
});

const joined = (users: WireUser[]): ServerMessage => ({
  type: 'joined',
  payload: {
    roomId: 'r', userId: 'me', users, screenSharer: null, screenStreamId: null, iceServers: [],
    resumeToken: 't', chat: [], role: 'guest', room: { lobby: false, locked: false, passwordRequired: false }, waiting: [], topology: 'mesh',
  },
});

const run = (...messages: ServerMessage[]): RecordersState => messages.reduce(recordersReducer, initialRecorders('me'));
const names = (state: RecordersState, self = false) => recorderNames(state, self, 'You', 'Someone');

describe('who records', () => {
  it('starts from the users joined says record', () => {
    const state = run(joined([user('ann', 'Ann', true), user('bob', 'Bob'), user('cat', 'Cat', true)]));
    expect(names(state)).toEqual(['Ann', 'Cat']);
  });

  it('follows recording messages, in the order people started', () => {
    const state = run(
      joined([user('ann', 'Ann'), user('bob', 'Bob')]),
      { type: 'recording', payload: { userId: 'bob', active: true } },
      { type: 'recording', payload: { userId: 'ann', active: true } },
    );
    expect(names(state)).toEqual(['Bob', 'Ann']);
    expect(names(recordersReducer(state, { type: 'recording', payload: { userId: 'bob', active: false } }))).toEqual(['Ann']);
  });

  it('takes a newcomer who already records from userJoined, and drops whoever leaves', () => {
    const state = run(joined([]), { type: 'userJoined', payload: user('dan', 'Dan', true) });
    expect(names(state)).toEqual(['Dan']);
    expect(names(recordersReducer(state, { type: 'userLeft', payload: { userId: 'dan' } }))).toEqual([]);
  });

  it('forgets, on a rejoin, someone who stopped while we were away', () => {
    const state = run(
      joined([user('ann', 'Ann', true), user('bob', 'Bob', true)]),
      joined([user('ann', 'Ann'), user('bob', 'Bob', true)]),
    );
    expect(names(state)).toEqual(['Bob']);
  });

  it('shows ourselves first while we record, from our recorder and not from the server', () => {
    const state = run(joined([user('ann', 'Ann', true)]), { type: 'recording', payload: { userId: 'me', active: true } });
    expect(names(state)).toEqual(['Ann']);
    expect(names(state, true)).toEqual(['You', 'Ann']);
  });

  it('changes nothing for a message that says nothing new', () => {
    const state = run(joined([user('ann', 'Ann', true)]));
    expect(recordersReducer(state, { type: 'recording', payload: { userId: 'ann', active: true } })).toBe(state);
    expect(recordersReducer(state, { type: 'userLeft', payload: { userId: 'zed' } })).toBe(state);
  });

  it('says Someone for a recorder whose name never came', () => {
    expect(names(run({ type: 'recording', payload: { userId: 'ghost', active: true } }))).toEqual(['Someone']);
  });
});

describe('recordingFileName', () => {
  it('is parley-<room>-<date>.webm with the local start time', () => {
    expect(recordingFileName('abc123', new Date(2026, 11, 5, 14, 7, 59))).toBe('parley-abc123-2026-12-05-1407.webm');
  });

  it('never carries a path in the room part', () => {
    expect(recordingFileName('../x', new Date(2026, 0, 2, 3, 4))).toBe('parley-___x-2026-01-02-0304.webm');
  });
});
