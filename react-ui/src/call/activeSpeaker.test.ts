import { describe, expect, it } from 'vitest';
import { pickActiveSpeaker } from './activeSpeaker';
import type { ServerMessage } from '../signaling/messages';
import { rosterReducer } from './roster';

describe('pickActiveSpeaker', () => {
  it('highlights nobody in silence', () => {
    expect(pickActiveSpeaker(new Map([['a', 0.001], ['b', 0.01]]), null)).toBeNull();
  });

  it('highlights the loudest speaker', () => {
    expect(pickActiveSpeaker(new Map([['a', 0.1], ['b', 0.4]]), null)).toBe('b');
  });

  it('keeps the current speaker unless someone is clearly louder', () => {
    expect(pickActiveSpeaker(new Map([['a', 0.3], ['b', 0.35]]), 'a')).toBe('a');
    expect(pickActiveSpeaker(new Map([['a', 0.1], ['b', 0.35]]), 'a')).toBe('b');
    expect(pickActiveSpeaker(new Map([['a', 0.0], ['b', 0.05]]), 'a')).toBe('b');
  });
});

describe('rosterReducer', () => {
  const user = (userId: string, audioMuted = false) => ({ userId, displayName: userId, audioMuted, videoMuted: false, handRaisedAt: null });
  const joined = (users: ReturnType<typeof user>[]): ServerMessage =>
    ({
      type: 'joined',
      payload: { roomId: 'r', userId: 'me', users, screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 't', chat: [] },
    });

  it('follows joins, leaves and mute changes', () => {
    let roster = rosterReducer([], joined([user('a')]));
    roster = rosterReducer(roster, { type: 'userJoined', payload: user('b', true) });
    roster = rosterReducer(roster, { type: 'mediaState', payload: { userId: 'a', audioMuted: true, videoMuted: true } });
    roster = rosterReducer(roster, { type: 'userLeft', payload: { userId: 'b' } });
    expect(roster).toEqual([{ userId: 'a', displayName: 'a', audioMuted: true, videoMuted: true }]);
  });

  it('after a rejoin keeps people whose peer connection is alive, in their place', () => {
    const before = rosterReducer([], joined([user('a'), user('b'), user('c')]));
    const after = rosterReducer(before, joined([user('c')]), new Set(['a']));
    expect(after.map((e) => e.userId)).toEqual(['a', 'c']);
  });
});
