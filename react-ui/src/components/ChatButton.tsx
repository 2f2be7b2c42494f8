/** The control bar's **Chat** button, with the unread count while the panel is closed. */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatIcon } from './ChatIcon';

/** Props of {@link ChatButton}. */
export interface ChatButtonProps {
  open: boolean;
  unread: number;
  onToggle: () => void;
}

/**
 * The button keeps the accessible name "Chat"; the count is drawn over its corner (hidden from
 * screen readers) and announced through a polite live region beside it.
 */
export const ChatButton = memo(function ChatButton({ open, unread, onToggle }: ChatButtonProps) {
  const { t } = useTranslation('chat');
  return (
    <span className="control-wrap">
      <button type="button" className="control" aria-pressed={open} onClick={onToggle} title={t('chat')} data-panel-button="chat">
        <ChatIcon name="chat" />
        <span className="control__label">{t('chat')}</span>
      </button>
      {/* Beside the button, not in it: the button's name stays exactly its visible label. */}
      {!open && unread > 0 && (
        <span className="control__count" aria-hidden="true" data-testid="chat-unread">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
      <span className="visually-hidden" role="status" aria-live="polite">
        {!open && unread > 0 ? t('unread', { count: unread }) : ''}
      </span>
    </span>
  );
});
