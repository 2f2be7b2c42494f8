/** The **Connection details** button in the call's header: opens and closes that panel. */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';

/** Props of {@link ConnectionDetailsButton}. */
export interface ConnectionDetailsButtonProps {
  open: boolean;
  onToggle: () => void;
}

/** The button (`data-panel-button="quality"`: the PanelDock gives the focus back to it). */
export const ConnectionDetailsButton = memo(function ConnectionDetailsButton({ open, onToggle }: ConnectionDetailsButtonProps) {
  const { t } = useTranslation('quality');
  return (
    <button
      type="button"
      className="button button--ghost quality-button"
      aria-pressed={open}
      data-panel-button="quality"
      title={t('details.open')}
      onClick={onToggle}
    >
      <svg width={18} height={18} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M1 11h3v4H1zM6 7h3v8H6zM11 2h3v13h-3z" />
      </svg>
      {/* Only the icon on a narrow screen (styles.css); the name stays for assistive technology. */}
      <span className="quality-button__label">{t('details.open')}</span>
    </button>
  );
});
