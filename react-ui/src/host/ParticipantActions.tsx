/**
 * A host's actions on one person in the participant list: Remove, Ask to mute, Make host (or Make
 * guest) and Lower hand while their hand is up; and the "host" mark everyone sees beside a host.
 */
import { useTranslation } from 'react-i18next';
import type { HostControls } from './hostControls';
import type { Role } from './hostState';

/** The "host" mark beside a host's name (shown to everyone). */
export function RoleBadge({ role }: { role: Role | undefined }) {
  const { t } = useTranslation('host');
  if (role !== 'host') return null;
  return <span className="participants__badge participants__badge--host">{t('roleHost')}</span>;
}

/** Props of {@link ParticipantActions}. */
export interface ParticipantActionsProps {
  userId: string;
  displayName: string;
  role: Role | undefined;
  audioMuted: boolean;
  handRaised: boolean;
  host: HostControls;
}

/** The host's buttons for one other person. */
export function ParticipantActions({ userId, displayName, role, audioMuted, handRaised, host }: ParticipantActionsProps) {
  const { t } = useTranslation('host');
  return (
    <span className="participants__actions" role="group" aria-label={t('actionsFor', { name: displayName })}>
      {handRaised && (
        <button type="button" className="button button--small" onClick={() => host.lowerHand(userId)}>
          {t('lowerHand')}
        </button>
      )}
      {!audioMuted && (
        <button type="button" className="button button--small" onClick={() => host.askToMute(userId)}>
          {t('askToMute')}
        </button>
      )}
      {role === 'host' ? (
        <button type="button" className="button button--small" onClick={() => host.setRole(userId, 'guest')}>
          {t('makeGuest')}
        </button>
      ) : (
        <button type="button" className="button button--small" onClick={() => host.setRole(userId, 'host')}>
          {t('makeHost')}
        </button>
      )}
      <button type="button" className="button button--small button--danger" onClick={() => host.remove(userId)}>
        {t('remove')}
      </button>
    </span>
  );
}
