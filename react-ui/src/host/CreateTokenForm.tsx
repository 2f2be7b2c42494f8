/**
 * Asked on the landing page when the server wants a token before it creates a meeting
 * (`--create-room-token`, `POST /createRoom` → 401 `unauthorized`): asked once, then remembered.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** Props of {@link CreateTokenForm}. */
export interface CreateTokenFormProps {
  /** The token we sent was refused (rather than none sent yet). */
  rejected: boolean;
  busy: boolean;
  onSubmit: (token: string) => void;
}

/** The token field and Start meeting. */
export function CreateTokenForm({ rejected, busy, onSubmit }: CreateTokenFormProps) {
  const { t } = useTranslation('host');
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSubmit(token.trim());
  };
  return (
    <form className="landing__join create-token" onSubmit={submit}>
      <p className="message">{t('createTokenExplain')}</p>
      <label htmlFor="create-token" className="field__label">
        {t('createToken')}
      </label>
      <div className="landing__row">
        <input id="create-token" className="field__input" type="password" value={token} autoComplete="off"
          spellCheck={false} onChange={(e) => setToken(e.target.value)} aria-invalid={rejected} />
        <button type="submit" className="button button--primary" disabled={busy || !token.trim()}>
          {t('startMeeting')}
        </button>
      </div>
      {rejected && (
        <p role="alert" className="message message--error">
          {t('createTokenRejected')}
        </p>
      )}
    </form>
  );
}
