/**
 * The red "… is recording" line everyone in the call sees while anyone records (consent, issue 15),
 * ourselves included; with our own recording's running time. A polite live region (role="status").
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Shows who records (`others`: their names) and, while we record, for how long. */
export function RecordingIndicator({ self, others, elapsedMs }: { self: boolean; others: readonly string[]; elapsedMs: () => number }) {
  const { t } = useTranslation('recording');
  const [, tick] = useState(0);
  useEffect(() => {
    if (!self) return undefined;
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, [self]);
  if (!self && others.length === 0) return <div role="status" className="recording-indicator recording-indicator--off" data-testid="recording-indicator" />;
  const names = new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(self ? [t('you'), ...others] : others);
  const text = self ? (others.length === 0 ? t('youAreRecording') : t('youAndOthers', { names })) : t('isRecording', { names, count: others.length });
  return (
    <div role="status" className="recording-indicator" data-testid="recording-indicator">
      <span className="recording-indicator__dot" aria-hidden="true" />
      <span className="recording-indicator__text">{text}</span>
      {self && (
        <span className="recording-indicator__time" aria-label={t('time')}>
          {clock(elapsedMs())}
        </span>
      )}
    </div>
  );
}

/** Where the last recording went, or why it failed; with Dismiss. */
export function RecordingNotice({ saved, error, inMemory, onDismiss }: {
  saved: { name: string; path: string | null } | null;
  error: string | null;
  inMemory: boolean;
  onDismiss: () => void;
}) {
  const { t } = useTranslation(['recording', 'common']);
  if (!saved && !error) return null;
  const text = error ? t('failed', { reason: error }) : saved!.path ? t('savedTo', { path: saved!.path }) : t('downloaded', { name: saved!.name });
  return (
    <div className="banner" role={error ? 'alert' : 'status'} data-testid="recording-notice">
      <span>{text}</span>
      {inMemory && !error && <span>{t('inMemory')}</span>}
      <button type="button" className="button button--ghost" onClick={onDismiss}>
        {t('common:dismiss')}
      </button>
    </div>
  );
}
