/** What a person in the lobby sees until a host lets them in (or turns them away). */
import { useTranslation } from 'react-i18next';

/** The lobby's waiting screen; Leave ends the attempt. */
export function WaitingScreen({ onLeave }: { onLeave: () => void }) {
  const { t } = useTranslation('host');
  return (
    <main className="prejoin prejoin--error">
      <div className="card waiting">
        <h1 className="brand">Parley</h1>
        <p role="status" className="message waiting__title">
          {t('waitingTitle')}
        </p>
        <p className="message">{t('waitingText')}</p>
        <div className="card__actions">
          <button type="button" className="button" onClick={onLeave}>
            {t('leave')}
          </button>
        </div>
      </div>
    </main>
  );
}
