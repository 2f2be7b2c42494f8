// @vitest-environment jsdom
/** The chat panel, the chat, hand and react buttons, and what floats over a tile. */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatReducer, initialChatState, type ChatMessage, type ChatState } from '../chat/chatState';
import { ChatButton } from './ChatButton';
import { ChatPanel, type ChatPanelProps } from './ChatPanel';
import { HandButton } from './HandButton';
import { ParticipantList } from './ParticipantList';
import { ReactionOverlay } from './ReactionOverlay';
import { ReactionPicker } from './ReactionPicker';
import { GUEST_OF_OPEN_ROOM } from '../signaling/testing/wire';

afterEach(cleanup);

const message = (id: string, senderId: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  messageId: id, senderId, displayName: senderId === 'ann' ? 'Ann' : 'Bob', text, sentAt: Date.UTC(2026, 0, 1, 9, 30), ...extra,
});
const stateWith = (messages: ChatMessage[]): ChatState =>
  chatReducer(initialChatState('me'), {
    type: 'joined',
    payload: { roomId: 'r', userId: 'me', users: [], screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 't', chat: messages, ...GUEST_OF_OPEN_ROOM },
  });
const people = [{ userId: 'ann', displayName: 'Ann' }, { userId: 'bob', displayName: 'Bob' }];

function panel(props: Partial<ChatPanelProps> = {}) {
  const onSend = vi.fn(() => true);
  const view = render(
    <ChatPanel state={stateWith([])} people={people} recipient="" onRecipientChange={() => undefined} onSend={onSend} onReplyPrivately={() => undefined} onDismissError={() => undefined} {...props} />,
  );
  return { ...view, onSend };
}

describe('ChatPanel', () => {
  it('has the text box Message and the button Send; Enter sends, Shift+Enter does not', () => {
    const { onSend } = panel();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello', undefined);
    expect((box as HTMLTextAreaElement).value).toBe('');
    fireEvent.change(box, { target: { value: 'again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenLastCalledWith('again', undefined);
  });

  it('sends to the chosen recipient only', () => {
    const { onSend } = panel({ recipient: 'bob' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'psst' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledWith('psst', 'bob');
  });

  it('renders a message as text, never as HTML, with its name and time', () => {
    const { container } = panel({ state: stateWith([message('m1', 'ann', '<img src=x onerror=alert(1)><b>bold</b>')]) });
    const item = screen.getByTestId('chat-message');
    expect(within(item).getByText('<img src=x onerror=alert(1)><b>bold</b>')).toBeTruthy();
    expect(container.querySelector('img, b')).toBeNull();
    expect(within(item).getByText('Ann')).toBeTruthy();
    expect(item.querySelector('time')?.getAttribute('dateTime')).toBe('2026-01-01T09:30:00.000Z');
  });

  it('makes http(s) links clickable in a new tab without opener or referrer, and nothing else', () => {
    panel({ state: stateWith([message('m1', 'ann', 'read https://example.org/x and javascript:alert(1)')]) });
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0].getAttribute('href')).toBe('https://example.org/x');
    expect(links[0].getAttribute('target')).toBe('_blank');
    expect(links[0].getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('marks private messages and offers a private reply in one click', () => {
    const onReplyPrivately = vi.fn();
    panel({
      state: stateWith([message('m1', 'ann', 'for you', { targetId: 'me' }), message('m2', 'me', 'for Bob', { targetId: 'bob' }), message('m3', 'bob', 'to all')]),
      onReplyPrivately,
    });
    const [fromAnn, toBob, publicOne] = screen.getAllByTestId('chat-message');
    expect(fromAnn.dataset.private).toBe('true');
    expect(within(fromAnn).getByText('Private, to you')).toBeTruthy();
    expect(within(toBob).getByText('Private, to Bob')).toBeTruthy();
    expect(within(toBob).queryByRole('button')).toBeNull(); // not to ourselves
    expect(publicOne.dataset.private).toBe('false');
    fireEvent.click(within(publicOne).getByRole('button', { name: 'Reply privately to Bob' }));
    cleanup();
    // The one we wrote to has left: the mark says so rather than show an id.
    panel({ state: stateWith([message('m2', 'me', 'for Carl', { targetId: 'carl' })]), people: [] });
    expect(screen.getByText('Private, to someone who has left')).toBeTruthy();
    expect(onReplyPrivately).toHaveBeenCalledWith('bob');
  });

  it('shows the server\'s refusal near the box', () => {
    const state = { ...stateWith([]), error: 'rateLimited' as const };
    panel({ state });
    expect(screen.getByRole('alert').textContent).toContain('too fast');
  });

  it('merges extra items by time and renders the actions next to Send', () => {
    const state = stateWith([message('m1', 'ann', 'first', { sentAt: 100 }), message('m2', 'bob', 'last', { sentAt: 300 })]);
    panel({ state, extraItems: [{ id: 'f1', at: 200, node: <span>file card</span> }], actions: <button type="button">Share a file</button> });
    const texts = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(texts.map((t) => (t?.includes('first') ? 1 : t?.includes('file card') ? 2 : t?.includes('last') ? 3 : 0))).toEqual([1, 2, 3]);
    expect(screen.getByRole('button', { name: 'Share a file' }).closest('form')).not.toBeNull();
  });
});

describe('control buttons', () => {
  it('Chat keeps its name and announces the unread count while closed', () => {
    const { rerender } = render(<ChatButton open={false} unread={3} onToggle={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Chat' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Unread chat messages: 3');
    expect(screen.getByTestId('chat-unread').textContent).toBe('3');
    rerender(<ChatButton open unread={0} onToggle={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.queryByTestId('chat-unread')).toBeNull();
  });

  it('Raise hand reads Lower hand while raised', () => {
    const { rerender } = render(<HandButton raised={false} onToggle={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Raise hand' })).toBeTruthy();
    rerender(<HandButton raised onToggle={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Lower hand' })).toBeTruthy();
  });

  it('React opens six named reactions and sends the chosen one', () => {
    const onReact = vi.fn();
    render(<ReactionPicker onReact={onReact} />);
    fireEvent.click(screen.getByRole('button', { name: 'React' }));
    const names = within(screen.getByRole('group', { name: 'Reactions' })).getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Thumbs up', 'Applause', 'Heart', 'Laughing', 'Surprised', 'Celebrate']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Thumbs up');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('group', { name: 'Reactions' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'React' }));
    fireEvent.click(screen.getByRole('button', { name: 'React' }));
    fireEvent.click(screen.getByRole('button', { name: 'Applause' }));
    expect(onReact).toHaveBeenCalledWith('👏');
    expect(screen.queryByRole('group', { name: 'Reactions' })).toBeNull();
  });
});

describe('hands and reactions on screen', () => {
  it('the participant list puts raised hands first with their place', () => {
    const row = (userId: string, displayName: string, self = false) => ({ userId, displayName, audioMuted: false, videoMuted: false, self, sharing: false });
    const onReplyPrivately = vi.fn();
    render(<ParticipantList rows={[row('me', 'Me', true), row('ann', 'Ann'), row('bob', 'Bob')]} hands={{ bob: 10, ann: 20 }} onReplyPrivately={onReplyPrivately} />);
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.dataset.userId)).toEqual(['bob', 'ann', 'me']);
    expect(within(items[0]).getByRole('img', { name: 'Hand raised, number 1' })).toBeTruthy();
    expect(within(items[1]).getByRole('img', { name: 'Hand raised, number 2' })).toBeTruthy();
    fireEvent.click(within(items[1]).getByRole('button', { name: 'Message Ann privately' }));
    expect(onReplyPrivately).toHaveBeenCalledWith('ann');
  });

  it('a tile shows the hand badge and the reactions, named', () => {
    render(<ReactionOverlay displayName="Ann" handRaised reactions={[{ key: 1, userId: 'ann', emoji: '🎉' }]} />);
    expect(screen.getByRole('img', { name: 'Hand raised' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Ann: Celebrate' }).textContent).toBe('🎉');
  });
});
