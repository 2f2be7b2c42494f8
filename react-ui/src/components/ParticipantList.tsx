/** The list of people in the call, with their microphone and camera state; raised hands first. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { raisedFirst } from '../chat/hands';
import { ChatIcon } from './ChatIcon';
import { Icon } from './Icon';
import { PresenterNote } from './PresenterNote';

/** One row of the list. */
export interface ParticipantRow {
  userId: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
  self: boolean;
  sharing: boolean;
}

/** Props of {@link ParticipantList}. */
export interface ParticipantListProps {
  rows: ParticipantRow[];
  /** Raised hands: user id → `raisedAt`. */
  hands?: Readonly<Record<string, number>>;
  /** Opens the chat with a private message to this person. */
  onReplyPrivately?: (userId: string) => void;
  /** A mark after the name (the host's, issue 14). */
  badgeOf?: (row: ParticipantRow) => ReactNode;
  /** Buttons for this person (a host's actions, issue 14). */
  actionsOf?: (row: ParticipantRow) => ReactNode;
}

/** The participants panel. */
export function ParticipantList({ rows, hands = {}, onReplyPrivately, badgeOf, actionsOf }: ParticipantListProps) {
  const { t } = useTranslation('call');
  const { t: tChat } = useTranslation('chat');
  return (
    <aside className="panel" aria-labelledby="participants-title">
      <h2 id="participants-title" className="panel__title">
        {t('participants', { count: rows.length })}
      </h2>
      <PresenterNote name={rows.find((row) => row.sharing)?.displayName ?? null} self={rows.some((row) => row.sharing && row.self)} className="participants__presenter" />
      <ul className="participants">
        {raisedFirst(rows, hands).map(({ row, place }) => (
          <li key={row.userId} className="participants__row" data-user-id={row.userId} data-hand-place={place ?? undefined}>
            <span className="participants__name">
              {place !== null && (
                <span className="participants__hand" role="img" aria-label={tChat('handPlace', { place })}>
                  <ChatIcon name="hand" size={14} />
                  {place}
                </span>
              )}
              {row.self ? t('selfName', { name: row.displayName }) : row.displayName}
              {row.sharing && <span className="participants__badge">{t('presenting')}</span>}
              {badgeOf?.(row)}
            </span>
            {actionsOf?.(row)}
            <span className="participants__icons">
              {!row.self && onReplyPrivately && (
                <button type="button" className="participants__reply" aria-label={tChat('messagePrivately', { name: row.displayName })} title={tChat('messagePrivately', { name: row.displayName })} onClick={() => onReplyPrivately(row.userId)}>
                  <ChatIcon name="chat" size={18} />
                </button>
              )}
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
