/**
 * Who waits in the lobby, for hosts: one person as a notification with Admit and Deny; several as
 * a list, each with Admit and Deny, and Admit all.
 */
import { useTranslation } from 'react-i18next';
import type { HostControls } from './hostControls';
import type { Knock } from './hostState';

/** Props of {@link KnockNotice}. */
export interface KnockNoticeProps {
  knocks: readonly Knock[];
  host: HostControls;
}

/** The lobby notification (nothing while nobody waits). */
export function KnockNotice({ knocks, host }: KnockNoticeProps) {
  const { t } = useTranslation('host');
  if (knocks.length === 0) return null;
  const buttons = (knock: Knock) => (
    <>
      <button type="button" className="button button--primary" onClick={() => host.admit(knock.userId)}>
        {t('admit')}
      </button>
      <button type="button" className="button button--ghost" onClick={() => host.deny(knock.userId)}>
        {t('deny')}
      </button>
    </>
  );
  if (knocks.length === 1) {
    const [knock] = knocks;
    return (
      <div className="banner knock" role="alert" data-user-id={knock.userId}>
        <span>{t('knockOne', { name: knock.displayName })}</span>
        {buttons(knock)}
      </div>
    );
  }
  return (
    <div className="banner knock knock--many" role="alert">
      <span>{t('knockMany', { count: knocks.length })}</span>
      <ul className="knock__list">
        {knocks.map((knock) => (
          <li key={knock.userId} className="knock__row" data-user-id={knock.userId}>
            <span className="knock__name">{knock.displayName}</span>
            {buttons(knock)}
          </li>
        ))}
      </ul>
      <button type="button" className="button button--primary" onClick={() => host.admit(...knocks.map((k) => k.userId))}>
        {t('admitAll')}
      </button>
    </div>
  );
}
