/**
 * The pre-join form's admission part (issue 14), from the pre-flight's `{passwordRequired, lobby}`:
 * the password field (with why the last try failed), and "The host will let you in." for a lobby.
 * A host (this browser holds the room's host token) needs neither.
 */
import { useTranslation } from 'react-i18next';

/** Why the last join was refused for its password. */
export type PasswordProblem = 'passwordRequired' | 'wrongPassword';

/** Props of {@link AdmissionFields}. */
export interface AdmissionFieldsProps {
  passwordRequired: boolean;
  lobby: boolean;
  /** This browser is the room's host: nothing to ask. */
  isHost: boolean;
  password: string;
  onPassword: (password: string) => void;
  problem: PasswordProblem | null;
}

/** The password field and the lobby note, where the room has them. */
export function AdmissionFields({ passwordRequired, lobby, isHost, password, onPassword, problem }: AdmissionFieldsProps) {
  const { t } = useTranslation('host');
  if (isHost) return null;
  return (
    <>
      {(passwordRequired || problem) && (
        <div className="field">
          <label htmlFor="meeting-password" className="field__label">
            {t('meetingPassword')}
          </label>
          <input id="meeting-password" className="field__input" type="password" value={password} maxLength={128}
            autoComplete="current-password" required aria-invalid={problem !== null}
            aria-describedby={problem ? 'meeting-password-problem' : undefined}
            onChange={(e) => onPassword(e.target.value)} />
          {problem && (
            <p id="meeting-password-problem" role="alert" className="message message--error">
              {t(problem)}
            </p>
          )}
        </div>
      )}
      {lobby && <p className="message prejoin__lobby">{t('preJoinLobby')}</p>}
    </>
  );
}
