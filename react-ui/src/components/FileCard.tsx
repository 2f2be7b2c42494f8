/**
 * One shared file: name, size, sender, a progress bar (for a file we share, one per receiver) and,
 * once a received file is whole and its SHA-256 matched, **Save**. Everything is rendered as text.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileItem, TransferState } from '../files/fileShare';
import type { SaveOutcome } from '../files/saveFile';

export interface FileCardProps {
  item: FileItem;
  nameOf: (userId: string) => string;
  onSave: (item: FileItem) => Promise<SaveOutcome>;
  onCancel: (id: string) => void;
}

/** A byte count in the language shown ("20 MB", "1,5 Mo"...). */
export function formatSize(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(language, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

function Progress({ label, value, max, state }: { label: string; value: number; max: number; state: TransferState }) {
  const { t } = useTranslation('files');
  const percent = max === 0 ? 100 : Math.round((value / max) * 100);
  return (
    <div className="file-card__progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={t(`state.${state}`, { percent })}
        className="file-card__bar"
      >
        <div className="file-card__fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="file-card__state">{t(`state.${state}`, { percent })}</span>
    </div>
  );
}

export function FileCard({ item, nameOf, onSave, onCancel }: FileCardProps) {
  const { t, i18n } = useTranslation('files');
  const sender = item.own ? t('you') : nameOf(item.senderId);
  const under = item.state === 'transferring';
  const [saved, setSaved] = useState<SaveOutcome | null>(null);
  return (
    <article className="file-card" data-file-id={item.id} aria-label={t('card', { name: item.name })}>
      <div className="file-card__head">
        <span className="file-card__name">{item.name}</span>
        <span className="file-card__size">{formatSize(item.size, i18n.language)}</span>
      </div>
      <div className="file-card__sender">{t('from', { name: sender })}</div>
      {item.own ? (
        item.receivers.map((r) => (
          <Progress key={r.userId} label={t('progressTo', { name: nameOf(r.userId) })} value={r.received} max={item.size} state={r.state} />
        ))
      ) : (
        <Progress label={t('progress', { name: item.name })} value={item.received} max={item.size} state={item.state} />
      )}
      {item.state === 'refused' && !item.own && <p role="alert">{t('hashMismatch')}</p>}
      <div className="file-card__actions">
        {item.blob && (
          <button type="button" className="button" onClick={() => void onSave(item).then(setSaved)}>
            {t('save')}
          </button>
        )}
        {under && (
          <button type="button" className="button button--ghost" onClick={() => onCancel(item.id)}>
            {t('cancel')}
          </button>
        )}
      </div>
      {saved && 'saved' in saved && <p role="status">{t('saved', { name: saved.saved })}</p>}
      {saved && 'failed' in saved && <p role="alert">{t('saveFailed', { error: saved.failed })}</p>}
      <p className="file-card__note">{t('lateJoiners')}</p>
    </article>
  );
}
