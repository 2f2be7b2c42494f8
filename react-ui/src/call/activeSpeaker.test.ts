import { describe, expect, it } from 'vitest';
import { levelBars, SpeakerTracker } from './activeSpeaker';
import type { ServerMessage } from '../signaling/messages';
import { rosterReducer } from './roster';
import { GUEST_OF_OPEN_ROOM } from '../signaling/testing/wire';

describe('SpeakerTracker', () => {
  const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it('highlights nobody in silence, and the loudest speaker at once', () => {
    const tracker = new SpeakerTracker();
    expect(tracker.update(levels({ a: 0.001, b: 0.01 }), 0)).toBeNull();
    expect(tracker.update(levels({ a: 0.1, b: 0.4 }), 400)).toBe('b');
  });

  it('holds the highlight at least 1.5 s, even when someone else is far louder', () => {
    const tracker = new SpeakerTracker();
    tracker.update(levels({ a: 0.2, b: 0 }), 0);
    for (const at of [400, 800, 1200]) expect(tracker.update(levels({ a: 0.05, b: 0.6 }), at)).toBe('a');
    expect(tracker.update(levels({ a: 0.05, b: 0.6 }), 1600)).toBe('b');
  });

  it('after the hold, switches only on a clear margin', () => {
    const tracker = new SpeakerTracker();
    tracker.update(levels({ a: 0.3, b: 0 }), 0);
    // Two people talking over each other at about the same level: no flicker, however long.
    for (let at = 400; at <= 10_000; at += 400) {
      const louder = at % 800 === 0 ? { a: 0.3, b: 0.35 } : { a: 0.35, b: 0.3 };
      expect(tracker.update(levels(louder), at)).toBe('a');
    }
    expect(tracker.update(levels({ a: 0.1, b: 0.35 }), 10_400)).toBe('b');
  });

  it('keeps the speaker through a pause between words, and lets go after a longer silence', () => {
    const tracker = new SpeakerTracker();
    tracker.update(levels({ a: 0.2 }), 0);
    expect(tracker.update(levels({ a: 0.2 }), 2000)).toBe('a');
    expect(tracker.update(levels({ a: 0.0 }), 2400)).toBe('a');
    expect(tracker.update(levels({ a: 0.0 }), 3200)).toBe('a');
    expect(tracker.update(levels({ a: 0.0 }), 3600)).toBeNull();
  });

  it('moves at once from a quiet speaker to someone talking once the hold is over', () => {
    const tracker = new SpeakerTracker();
    tracker.update(levels({ a: 0.2, b: 0 }), 0);
    expect(tracker.update(levels({ a: 0, b: 0.05 }), 1600)).toBe('b');
  });

  it('drops someone who muted or left at once', () => {
    const tracker = new SpeakerTracker();
    tracker.update(levels({ a: 0.2, b: 0.1 }), 0);
    expect(tracker.update(levels({ b: 0.1 }), 400)).toBe('b');
    expect(tracker.update(levels({}), 800)).toBeNull();
  });
});

describe('levelBars', () => {
  it('is empty in silence and fills in quarters with a louder voice', () => {
    expect(levelBars(0)).toBe(0);
    expect(levelBars(0.01)).toBe(0);
    expect(levelBars(0.03)).toBe(0.25);
    expect(levelBars(0.1)).toBe(0.5);
    expect(levelBars(0.3)).toBe(1);
    expect(levelBars(0.9)).toBe(1);
  });
});

describe('rosterReducer', () => {
  const user = (userId: string, audioMuted = false) => ({ userId, displayName: userId, audioMuted, videoMuted: false, handRaisedAt: null, role: 'guest' as const, recording: false });
  const joined = (users: ReturnType<typeof user>[]): ServerMessage =>
    ({
      type: 'joined',
      payload: { roomId: 'r', userId: 'me', users, screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 't', chat: [], ...GUEST_OF_OPEN_ROOM },
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
