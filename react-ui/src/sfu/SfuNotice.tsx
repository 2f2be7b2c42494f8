/** Tells the people in an SFU room that the media server is gone (and that it comes back by itself). */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { SfuStatus } from './sfuStatus';

/** The "media server unavailable" banner, while the server says so. */
export function SfuNotice({ status }: { status: SfuStatus }) {
  const { t } = useTranslation(['sfu', 'common']);
  const state = useSyncExternalStore((listener) => status.subscribe(listener), () => status.state);
  if (!state.unavailable) return null;
  return (
    <div className="banner" role="alert" data-testid="sfu-unavailable">
      <span>{t('unavailable')}</span>
      <button type="button" className="button button--ghost" onClick={() => status.dismiss()}>
        {t('common:dismiss')}
      </button>
    </div>
  );
}
