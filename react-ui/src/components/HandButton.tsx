/** The control bar's **Raise hand** button (it reads **Lower hand** while our hand is up). */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatIcon } from './ChatIcon';

/** Raises or lowers our hand. */
export const HandButton = memo(function HandButton({ raised, onToggle, disabled }: { raised: boolean; onToggle: () => void; disabled?: boolean }) {
  const { t } = useTranslation('chat');
  const label = raised ? t('lowerHand') : t('raiseHand');
  return (
    <button type="button" className={`control${raised ? ' control--raised' : ''}`} onClick={onToggle} disabled={disabled} title={label} aria-label={label}>
      <ChatIcon name="hand" />
      <span className="control__label">{label}</span>
    </button>
  );
});
