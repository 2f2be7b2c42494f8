/** The pin on a tile: "Pin <name>" shows that tile large; "Unpin <name>" goes back to the speaker. */
import { useTranslation } from 'react-i18next';

/** Props of {@link PinButton}. */
export interface PinButtonProps {
  displayName: string;
  self: boolean;
  pinned: boolean;
  onToggle: () => void;
}

/** A button over a tile's corner (visible on hover and focus, and always while pinned). */
export function PinButton({ displayName, self, pinned, onToggle }: PinButtonProps) {
  const { t } = useTranslation('layout');
  const label = self ? t(pinned ? 'unpinSelf' : 'pinSelf') : t(pinned ? 'unpin' : 'pin', { name: displayName });
  return (
    <button type="button" className={`tile__pin${pinned ? ' tile__pin--on' : ''}`} aria-label={label} title={label} onClick={onToggle}>
      <svg width={18} height={18} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M16 3v2h-1v6l2 3v2h-4v5l-1 1-1-1v-5H7v-2l2-3V5H8V3h8z" />
      </svg>
    </button>
  );
}
