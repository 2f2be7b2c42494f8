/** The list of people in the call, with their microphone and camera state. */
import { useTranslation } from 'react-i18next';
import { Icon } from './Icon';

/** One row of the list. */
export interface ParticipantRow {
  userId: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
  self: boolean;
  sharing: boolean;
}

/** The participants panel. */
export function ParticipantList({ rows }: { rows: ParticipantRow[] }) {
  const { t } = useTranslation('call');
  return (
    <aside className="panel" aria-labelledby="participants-title">
      <h2 id="participants-title" className="panel__title">
        {t('participants', { count: rows.length })}
      </h2>
      <ul className="participants">
        {rows.map((row) => (
          <li key={row.userId} className="participants__row">
            <span className="participants__name">
              {row.self ? t('selfName', { name: row.displayName }) : row.displayName}
              {row.sharing && <span className="participants__badge">{t('presenting')}</span>}
            </span>
            <span className="participants__icons">
              <span role="img" aria-label={row.audioMuted ? t('micOff') : t('micOn')}>
                <Icon name={row.audioMuted ? 'micOff' : 'mic'} size={18} />
              </span>
              <span role="img" aria-label={row.videoMuted ? t('camOff') : t('camOn')}>
                <Icon name={row.videoMuted ? 'cameraOff' : 'camera'} size={18} />
              </span>
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
