/**
 * The chat panel: the conversation (with any extra items, such as file cards, merged in by time),
 * a recipient selector (everyone or one person), the text box **Message** and the button **Send**.
 * Enter sends, Shift+Enter starts a new line. Texts are rendered as text, never as HTML.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isPrivate, type ChatMessage, type ChatState } from '../chat/chatState';
import { formatTime } from '../i18n';
import { ChatMessageText } from './ChatMessageText';

/** Something other than a message shown in the conversation at time `at` (ms since the epoch). */
export interface ChatExtraItem {
  id: string;
  at: number;
  node: ReactNode;
}

/** Props of {@link ChatPanel}. */
export interface ChatPanelProps {
  state: ChatState;
  /** The others in the call, for names and the recipient selector. */
  people: readonly { userId: string; displayName: string }[];
  /** The chosen recipient's user id, `''` for everyone. */
  recipient: string;
  onRecipientChange: (userId: string) => void;
  /** The message box takes the focus whenever this changes. */
  focusRequest?: number;
  /** Sends `text` (to `targetId` only, when given); false if nothing was sent. */
  onSend: (text: string, targetId?: string) => boolean;
  onReplyPrivately: (userId: string) => void;
  onDismissError: () => void;
  /** Rendered next to Send (e.g. the files' "Share a file" button). */
  actions?: ReactNode;
  /** Extra timeline entries, merged with the messages by `at`. */
  extraItems?: readonly ChatExtraItem[];
}

/** The chat panel. */
export function ChatPanel(props: ChatPanelProps) {
  const { state, people, recipient, onRecipientChange, focusRequest, onSend, onReplyPrivately, onDismissError, actions, extraItems } = props;
  const { t } = useTranslation('chat');
  const [draft, setDraft] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const names = useMemo(() => new Map(people.map((p) => [p.userId, p.displayName])), [people]);
  // Names of people who wrote and have left since, for "Private, to <name>" on what we sent them.
  const knownNames = useMemo(() => new Map(state.messages.map((m) => [m.senderId, m.displayName])), [state.messages]);
  // Someone chosen who has left: back to everyone (the selector cannot show a missing person).
  const target = names.has(recipient) ? recipient : '';

  const items = useMemo(() => {
    const messages = state.messages.map((m) => ({ id: `m:${m.messageId}`, at: m.sentAt, message: m as ChatMessage | null, node: null as ReactNode }));
    const extras = (extraItems ?? []).map((x) => ({ id: `x:${x.id}`, at: x.at, message: null, node: x.node }));
    // A stable sort: messages keep the server's order, extras slot in by time.
    return [...messages, ...extras].sort((a, b) => a.at - b.at);
  }, [state.messages, extraItems]);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items.length]);
  useEffect(() => {
    box.current?.focus();
  }, [focusRequest]);

  const send = () => {
    if (onSend(draft, target || undefined)) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const nameOf = (userId: string, fallback: string) => (userId === state.selfId ? t('you') : (names.get(userId) ?? fallback));

  return (
    <aside className="panel chat" aria-labelledby="chat-title">
      <h2 id="chat-title" className="panel__title">
        {t('title')}
      </h2>
      <ol className="chat__list" ref={list} aria-label={t('conversation')}>
        {items.length === 0 && <li className="chat__empty">{t('empty')}</li>}
        {items.map((item) =>
          item.message ? (
            <MessageItem
              key={item.id}
              message={item.message}
              own={item.message.senderId === state.selfId}
              sender={nameOf(item.message.senderId, item.message.displayName)}
              targetName={item.message.targetId ? nameOf(item.message.targetId, knownNames.get(item.message.targetId) ?? t('someoneWhoLeft')) : ''}
              canReply={item.message.senderId !== state.selfId && names.has(item.message.senderId)}
              onReplyPrivately={onReplyPrivately}
            />
          ) : (
            <li key={item.id} className="chat__item">
              {item.node}
            </li>
          ),
        )}
      </ol>
      {state.error && (
        <div className="chat__error" role="alert">
          <span>{t(`errors.${state.error}`)}</span>
          <button type="button" className="button button--ghost" onClick={onDismissError}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <form
        className="chat__form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <div className="chat__to">
          <label htmlFor="chat-to">{t('to')}</label>
          <select id="chat-to" value={target} onChange={(event) => onRecipientChange(event.target.value)}>
            <option value="">{t('everyone')}</option>
            {people.map((p) => (
              <option key={p.userId} value={p.userId}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
        <label className="visually-hidden" htmlFor="chat-message">
          {t('message')}
        </label>
        <textarea
          id="chat-message"
          ref={box}
          className="chat__box"
          rows={2}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={target ? t('placeholderPrivate', { name: names.get(target) }) : t('placeholder')}
        />
        <div className="chat__actions">
          {actions}
          <button type="submit" className="button" disabled={!draft.trim()}>
            {t('send')}
          </button>
        </div>
      </form>
    </aside>
  );
}

function MessageItem(props: {
  message: ChatMessage;
  own: boolean;
  sender: string;
  targetName: string;
  canReply: boolean;
  onReplyPrivately: (userId: string) => void;
}) {
  const { message, own, sender, targetName, canReply, onReplyPrivately } = props;
  const { t } = useTranslation('chat');
  const priv = isPrivate(message);
  return (
    <li className={`chat__message${priv ? ' chat__message--private' : ''}${own ? ' chat__message--own' : ''}`} data-testid="chat-message" data-private={priv ? 'true' : 'false'}>
      <div className="chat__meta">
        <span className="chat__name">{sender}</span>
        <time className="chat__time" dateTime={new Date(message.sentAt).toISOString()}>
          {formatTime(message.sentAt)}
        </time>
        {priv && <span className="chat__private">{own ? t('privateTo', { name: targetName }) : t('privateToYou')}</span>}
      </div>
      <ChatMessageText text={message.text} />
      {canReply && (
        <button type="button" className="chat__reply" aria-label={t('replyPrivatelyTo', { name: sender })} onClick={() => onReplyPrivately(message.senderId)}>
          {t('replyPrivately')}
        </button>
      )}
    </li>
  );
}
