/** The control bar's **React** button and the six reactions it opens, each with a name. */
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS, type Reaction } from '../chat/chatState';
import { ChatIcon } from './ChatIcon';

/** The i18n key (namespace `chat`) of each reaction's accessible name. */
export const REACTION_NAMES: Record<Reaction, string> = {
  '👍': 'reactions.thumbsUp',
  '👏': 'reactions.applause',
  '❤️': 'reactions.heart',
  '😂': 'reactions.laughing',
  '😮': 'reactions.surprised',
  '🎉': 'reactions.celebrate',
};

/** A button that opens a row of reactions; choosing one sends it and closes the row. */
export const ReactionPicker = memo(function ReactionPicker({ onReact, disabled }: { onReact: (emoji: Reaction) => void; disabled?: boolean }) {
  const { t } = useTranslation('chat');
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // The keyboard lands on the first reaction; Escape or a click elsewhere closes the row.
    root.current?.querySelector<HTMLButtonElement>('.reactions__choice')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
  return (
    <div className="reactions" ref={root}>
      <button ref={button} type="button" className="control" aria-expanded={open} aria-controls="reaction-choices" onClick={() => setOpen((o) => !o)} disabled={disabled} title={t('react')} aria-label={t('react')}>
        <ChatIcon name="react" />
        <span className="control__label">{t('react')}</span>
      </button>
      {open && (
        <div id="reaction-choices" className="reactions__choices" role="group" aria-label={t('reactionsLabel')}>
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="reactions__choice"
              aria-label={t(REACTION_NAMES[emoji])}
              title={t(REACTION_NAMES[emoji])}
              onClick={() => {
                onReact(emoji);
                setOpen(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
});
