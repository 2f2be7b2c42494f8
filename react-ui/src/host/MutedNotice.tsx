/** Tells the person a host muted their microphone, and who. */
import { useTranslation } from 'react-i18next';

/** Props of {@link MutedNotice}. */
export interface MutedNoticeProps {
  /** The host's name, or null when we do not know it. */
  by: string | null;
  onDismiss: () => void;
}

/** The "muted by" banner. */
export function MutedNotice({ by, onDismiss }: MutedNoticeProps) {
  const { t } = useTranslation(['host', 'common']);
  return (
    <div className="banner" role="alert">
      <span>{by ? t('mutedBy', { name: by }) : t('mutedByHost')}</span>
      <button type="button" className="button button--ghost" onClick={onDismiss}>
        {t('common:dismiss')}
      </button>
    </div>
  );
}
