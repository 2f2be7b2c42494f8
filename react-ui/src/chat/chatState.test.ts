import { describe, expect, it } from 'vitest';
import { chatReducer, handOrder, initialChatState, isPrivate, type ChatAction, type ChatMessage, type ChatState } from './chatState';
import type { WireUser } from '../signaling/messages';
import { raisedFirst } from './hands';
import { GUEST_OF_OPEN_ROOM } from '../signaling/testing/wire';

const msg = (id: string, senderId: string, text = id, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  messageId: id, senderId, displayName: senderId.toUpperCase(), text, sentAt: 1_000 + Number(id.replace(/\D/g, '') || 0), ...extra,
});
const user = (userId: string, handRaisedAt: number | null = null): WireUser => ({
  userId, displayName: userId, audioMuted: false, videoMuted: false, handRaisedAt, role: 'guest', recording: false,
});
const joined = (chat: ChatMessage[], users: WireUser[] = []): ChatAction => ({
  type: 'joined',
  payload: { roomId: 'r', userId: 'me', users, screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 't', chat, ...GUEST_OF_OPEN_ROOM },
});
const run = (actions: ChatAction[], state: ChatState = initialChatState('me')) => actions.reduce(chatReducer, state);

describe('chat messages', () => {
  it('keeps joined.chat, then live messages, in the order the server sent them', () => {
    const s = run([joined([msg('m2', 'a'), msg('m1', 'b')]), { type: 'chat', payload: msg('m0', 'a') }]);
    expect(s.messages.map((m) => m.messageId)).toEqual(['m2', 'm1', 'm0']);
  });

  it('replaces the list on a resume without duplicating a message', () => {
    const first = run([joined([msg('m1', 'a')]), { type: 'chat', payload: msg('m2', 'b') }, { type: 'chat', payload: msg('m2', 'b') }]);
    expect(first.messages.map((m) => m.messageId)).toEqual(['m1', 'm2']);
    const resumed = run([joined([msg('m1', 'a'), msg('m2', 'b'), msg('m3', 'a'), msg('m3', 'a')])], first);
    expect(resumed.messages.map((m) => m.messageId)).toEqual(['m1', 'm2', 'm3']);
    // A live echo of something the resume already brought is not added again.
    expect(run([{ type: 'chat', payload: msg('m3', 'a') }], resumed).messages).toHaveLength(3);
  });

  it('counts others\' messages as unread while the panel is closed, never our own', () => {
    let s = run([joined([msg('m1', 'a')]), { type: 'chat', payload: msg('m2', 'b') }, { type: 'sent', payload: { kind: 'chat' } }, { type: 'chat', payload: msg('m3', 'me') }]);
    expect(s.unread).toBe(2);
    s = run([{ type: 'setOpen', payload: { open: true } }, { type: 'chat', payload: msg('m4', 'a') }], s);
    expect(s.unread).toBe(0);
    s = run([{ type: 'setOpen', payload: { open: false } }, { type: 'chat', payload: msg('m5', 'a') }], s);
    expect(s.unread).toBe(1);
    // A resume that brings one message we missed counts only that one.
    s = run([joined([msg('m1', 'a'), msg('m2', 'b'), msg('m3', 'me'), msg('m4', 'a'), msg('m5', 'a'), msg('m6', 'b')])], s);
    expect(s.unread).toBe(2);
  });

  it('marks private messages', () => {
    expect(isPrivate(msg('m1', 'a', 'psst', { targetId: 'me' }))).toBe(true);
    expect(isPrivate(msg('m1', 'a'))).toBe(false);
  });

  it('shows a refusal of our message to us, and not an error that answers nothing we sent', () => {
    const refusal = (code: string): ChatAction => ({ type: 'error', payload: { code, message: code } });
    expect(run([refusal('rateLimited')]).error).toBeNull();
    let s = run([{ type: 'sent', payload: { kind: 'chat' } }, refusal('targetNotFound')]);
    expect(s.error).toBe('targetNotFound');
    expect(s.pending).toEqual([]);
    s = run([{ type: 'sent', payload: { kind: 'chat' } }], s);
    expect(s.error).toBeNull(); // a new send clears it
    s = run([refusal('roomFull')], s);
    expect(s.error).toBeNull();
    s = run([refusal('rateLimited'), { type: 'dismissError', payload: {} }], s);
    expect(s.error).toBeNull();
  });
});

describe('raised hands', () => {
  it('orders hands by raisedAt from joined, userJoined and hand messages', () => {
    const s = run([
      joined([], [user('c', 300), user('b')]),
      { type: 'hand', payload: { userId: 'b', raised: true, raisedAt: 100 } },
      { type: 'userJoined', payload: user('d', 200) },
      { type: 'hand', payload: { userId: 'me', raised: true, raisedAt: 400 } },
    ]);
    expect(handOrder(s.hands)).toEqual(['b', 'd', 'c', 'me']);
    const lowered = run([{ type: 'hand', payload: { userId: 'd', raised: false, raisedAt: null } }, { type: 'userLeft', payload: { userId: 'c' } }], s);
    expect(handOrder(lowered.hands)).toEqual(['b', 'me']);
  });

  it('puts raised hands first in the participant list with their place', () => {
    const rows = [{ userId: 'me' }, { userId: 'a' }, { userId: 'b' }, { userId: 'c' }];
    const listed = raisedFirst(rows, { c: 50, a: 70 });
    expect(listed.map(({ row, place }) => [row.userId, place])).toEqual([['c', 1], ['a', 2], ['me', null], ['b', null]]);
  });

  it('keeps our own hand across a resume (joined.users lists only the others)', () => {
    const s = run([joined([]), { type: 'hand', payload: { userId: 'me', raised: true, raisedAt: 5 } }, joined([], [user('a', 9)])]);
    expect(handOrder(s.hands)).toEqual(['me', 'a']);
  });
});

describe('reactions', () => {
  it('shows each reaction with its own key until it fades', () => {
    let s = run([{ type: 'reaction', payload: { userId: 'a', emoji: '👍' } }, { type: 'reaction', payload: { userId: 'a', emoji: '🎉' } }]);
    expect(s.reactions.map((r) => [r.key, r.emoji])).toEqual([[1, '👍'], [2, '🎉']]);
    s = run([{ type: 'reactionFaded', payload: { key: 1 } }], s);
    expect(s.reactions.map((r) => r.emoji)).toEqual(['🎉']);
  });
});
