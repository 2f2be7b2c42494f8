/** The host state follows the server: roles, room settings, knocks, waiting, who muted or removed us. */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../signaling/messages';
import { hostReducer, initialHostState, nameOf, type HostState } from './hostState';

const user = (userId: string, role: 'host' | 'guest') => ({ userId, displayName: userId.toUpperCase(), audioMuted: false, videoMuted: false, handRaisedAt: null, role, recording: false });

function joined(role: 'host' | 'guest', waiting: { userId: string; displayName: string }[] = []): ServerMessage {
  return {
    type: 'joined',
    payload: {
      roomId: 'r', userId: 'me', users: [user('ann', 'host'), user('bob', 'guest')], screenSharer: null, screenStreamId: null,
      iceServers: [], resumeToken: 't', chat: [], role, room: { lobby: true, locked: false, passwordRequired: true },
      waiting: role === 'host' ? waiting : [],
      topology: 'mesh',
    },
  };
}

const run = (...messages: unknown[]): HostState =>
  messages.reduce<HostState>((state, m) => hostReducer(state, m as ServerMessage), initialHostState('me'));

describe('hostReducer', () => {
  it('takes our role, the others\' roles and the room settings from joined', () => {
    const state = run(joined('guest'));
    expect(state.role).toBe('guest');
    expect(state.roles).toEqual({ ann: 'host', bob: 'guest' });
    expect(state.room).toEqual({ lobby: true, locked: false, passwordRequired: true });
    expect(nameOf(state, 'ann')).toBe('ANN');
  });

  it('gives a host the people already waiting, then follows knocks, admissions and cancellations', () => {
    let state = run(joined('host', [{ userId: 'cat', displayName: 'Cat' }]));
    expect(state.knocks).toEqual([{ userId: 'cat', displayName: 'Cat' }]);
    state = hostReducer(state, { type: 'knock', payload: { userId: 'dan', displayName: 'Dan' } } as ServerMessage);
    state = hostReducer(state, { type: 'knock', payload: { userId: 'dan', displayName: 'Dan' } } as ServerMessage);
    expect(state.knocks.map((k) => k.userId)).toEqual(['cat', 'dan']);
    // Another host admitted Cat: she joins the room and leaves the list.
    state = hostReducer(state, { type: 'userJoined', payload: user('cat', 'guest') } as ServerMessage);
    expect(state.knocks.map((k) => k.userId)).toEqual(['dan']);
    state = hostReducer(state, { type: 'knockCancelled', payload: { userId: 'dan' } } as ServerMessage);
    expect(state.knocks).toEqual([]);
  });

  it('never shows a guest who waits', () => {
    expect(run(joined('guest')).knocks).toEqual([]);
  });

  it('follows role changes, ours and the others\'', () => {
    let state = run(joined('guest'), { type: 'role', payload: { userId: 'me', role: 'host' } }, { type: 'role', payload: { userId: 'ann', role: 'guest' } });
    expect(state.role).toBe('host');
    expect(state.roles.ann).toBe('guest');
    state = hostReducer(state, { type: 'knock', payload: { userId: 'x', displayName: 'X' } } as ServerMessage);
    state = hostReducer(state, { type: 'role', payload: { userId: 'me', role: 'guest' } } as ServerMessage);
    expect(state.knocks).toEqual([]);
  });

  it('waits from waiting until joined, and keeps who muted, removed or ended', () => {
    let state = run({ type: 'waiting', payload: {} });
    expect(state.waiting).toBe(true);
    state = hostReducer(state, joined('guest'));
    expect(state.waiting).toBe(false);
    state = hostReducer(state, { type: 'roomSettings', payload: { lobby: false, locked: true, passwordRequired: false } } as ServerMessage);
    expect(state.room).toEqual({ lobby: false, locked: true, passwordRequired: false });
    state = hostReducer(state, { type: 'muteRequest', payload: { by: 'ann' } } as ServerMessage);
    expect(nameOf(state, state.mutedBy)).toBe('ANN');
    state = hostReducer(state, { type: 'dismissMuted' });
    expect(state.mutedBy).toBeNull();
    state = hostReducer(state, { type: 'removed', payload: { by: 'ann' } } as ServerMessage);
    expect(state.removedBy).toBe('ann');
    state = hostReducer(state, { type: 'meetingEnded', payload: { by: 'ann' } } as ServerMessage);
    expect(state.endedBy).toBe('ann');
  });
});
