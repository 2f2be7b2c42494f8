/**
 * The page for a meeting one is not (or no longer) in because of a host or the room's admission
 * rules: locked, turned away from the lobby, removed, the meeting ended, too many wrong passwords.
 * Each says what happened and leads back to the start page.
 */
import { useTranslation } from 'react-i18next';

/** Why the person is out. */
export type AdmissionOutcome = 'roomLocked' | 'admissionDenied' | 'removed' | 'ended' | 'rateLimited';

/** Props of {@link AdmissionPage}. */
export interface AdmissionPageProps {
  outcome: AdmissionOutcome;
  /** The host who did it, when known (removed, ended). */
  by?: string | null;
  /** Offered where trying again can help (a locked meeting may be unlocked). */
  onTryAgain?: () => void;
}

/** The refusal or end page. */
export function AdmissionPage({ outcome, by = null, onTryAgain }: AdmissionPageProps) {
  const { t } = useTranslation('host');
  const title = outcome === 'removed' ? t('removedTitle') : outcome === 'ended' ? t('endedTitle') : null;
  let detail: string | null = null;
  if (outcome === 'removed') detail = by ? t('removedBy', { name: by }) : null;
  else if (outcome === 'ended') detail = by ? t('endedBy', { name: by }) : null;
  else detail = t(outcome);
  return (
    <main className="prejoin prejoin--error">
      <div className="card admission" data-outcome={outcome}>
        <h1 className="brand">Parley</h1>
        <div role="alert" className="admission__message">
          {title && <h2 className="admission__title">{title}</h2>}
          {detail && <p className={`message${title ? '' : ' message--error'}`}>{detail}</p>}
        </div>
        <div className="card__actions">
          {onTryAgain && (
            <button type="button" className="button" onClick={onTryAgain}>
              {t('tryAgain')}
            </button>
          )}
          <a className="button button--primary" href="/">
            {t('backToStart')}
          </a>
        </div>
      </div>
    </main>
  );
}
