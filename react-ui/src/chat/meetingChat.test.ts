import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../signaling/messages';
import { MeetingChat, type ChatClientMessage, type ChatSignaling } from './meetingChat';

function fakeSignaling() {
  const listeners = new Set<(m: ServerMessage) => void>();
  const sent: ChatClientMessage[] = [];
  const signaling: ChatSignaling = {
    on: (_event, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send: (message) => {
      sent.push(message);
      return true;
    },
  };
  return { signaling, sent, deliver: (m: ServerMessage) => listeners.forEach((l) => l(m)) };
}

afterEach(() => vi.useRealTimers());

describe('MeetingChat', () => {
  it('sends trimmed text, public or private, and nothing for blank text', () => {
    const { signaling, sent } = fakeSignaling();
    const chat = new MeetingChat('me', signaling);
    expect(chat.send('   ')).toBe(false);
    chat.send('  hello \n');
    chat.send('psst', 'bob');
    expect(sent).toEqual([
      { type: 'chat', payload: { text: 'hello' } },
      { type: 'chat', payload: { text: 'psst', targetId: 'bob' } },
    ]);
  });

  it('keeps a message over 2,000 characters back and says why', () => {
    const { signaling, sent } = fakeSignaling();
    const chat = new MeetingChat('me', signaling);
    expect(chat.send(`  ${'x'.repeat(2000)}  `)).toBe(true);
    expect(chat.send('🎉'.repeat(2000))).toBe(true); // 4,000 UTF-16 units, 2,000 characters
    expect(chat.state.error).toBeNull();
    expect(chat.send('x'.repeat(2001))).toBe(false);
    expect(sent).toHaveLength(2);
    expect(chat.state.error).toBe('invalidPayload');
  });

  it('toggles our hand from what the server last said', () => {
    const { signaling, sent, deliver } = fakeSignaling();
    const chat = new MeetingChat('me', signaling);
    chat.toggleHand();
    deliver({ type: 'hand', payload: { userId: 'me', raised: true, raisedAt: 10 } });
    chat.toggleHand();
    expect(sent).toEqual([{ type: 'hand', payload: { raised: true } }, { type: 'hand', payload: { raised: false } }]);
  });

  it('fades a reaction after a few seconds, and stops listening when disposed', () => {
    vi.useFakeTimers();
    const { signaling, deliver } = fakeSignaling();
    const chat = new MeetingChat('me', signaling, 4000);
    const changes = vi.fn();
    chat.subscribe(changes);
    deliver({ type: 'reaction', payload: { userId: 'a', emoji: '👏' } });
    expect(chat.state.reactions.map((r) => r.emoji)).toEqual(['👏']);
    vi.advanceTimersByTime(3999);
    expect(chat.state.reactions).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(chat.state.reactions).toHaveLength(0);
    chat.dispose();
    deliver({ type: 'reaction', payload: { userId: 'a', emoji: '👏' } });
    expect(chat.state.reactions).toHaveLength(0);
    expect(changes).toHaveBeenCalledTimes(2);
  });
});
