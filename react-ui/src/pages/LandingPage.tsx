/** `/`: start a new meeting, or open one from a pasted link or code. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createRoom, describeRoomError, type ApiError } from '../api/rooms';
import { LanguagePicker } from '../components/LanguagePicker';
import { OpenMeetingForm } from '../components/OpenMeetingForm';
import { CreateTokenForm } from '../host/CreateTokenForm';
import { createRoomToken, rememberCreateRoomToken, rememberHostToken } from '../host/hostTokens';
import { useDesktopBridge } from '../hooks/useDesktopBridge';
import { DesktopStartPage } from './DesktopStartPage';

/** The landing page; in the desktop app's window, its start screen instead. */
export function LandingPage({ navigate }: { navigate: (path: string) => void }) {
  const bridge = useDesktopBridge();
  if (bridge) return <DesktopStartPage bridge={bridge} />;
  return <BrowserLanding navigate={navigate} />;
}

function BrowserLanding({ navigate }: { navigate: (path: string) => void }) {
  const { t } = useTranslation('landing');
  // What went wrong, kept as a cause (not a sentence) so that it follows a change of language.
  const [error, setError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  // The server wants the operator's token to create a meeting: 'ask' (none sent) or 'rejected'.
  const [tokenNeeded, setTokenNeeded] = useState<'ask' | 'rejected' | null>(null);

  const newMeeting = async () => {
    setCreating(true);
    setError(null);
    const token = createRoomToken();
    const result = await createRoom({}, token);
    setCreating(false);
    if (result.ok) {
      // The creator is the meeting's host: this browser keeps the token it joins with.
      rememberHostToken(result.value.roomId, result.value.hostToken);
      navigate(`/r/${encodeURIComponent(result.value.roomId)}`);
    } else if (result.error.code === 'unauthorized') {
      if (token) rememberCreateRoomToken(null);
      setTokenNeeded(token ? 'rejected' : 'ask');
    } else {
      setError(result.error);
    }
  };
  const withToken = (token: string) => {
    rememberCreateRoomToken(token);
    void newMeeting();
  };

  return (
    <main className="landing">
      <div className="landing__card">
        <h1 className="brand">Parley</h1>
        <p className="landing__tagline">{t('tagline')}</p>
        <button type="button" className="button button--primary button--large" onClick={() => void newMeeting()} disabled={creating}>
          {t('newMeeting')}
        </button>
        {tokenNeeded && <CreateTokenForm rejected={tokenNeeded === 'rejected'} busy={creating} onSubmit={withToken} />}
        <div className="landing__or" aria-hidden="true">
          {t('or')}
        </div>
        <OpenMeetingForm open={navigate} inputId="meeting-input" className="landing__join" />
        {error && (
          <p role="alert" className="message message--error">
            {describeRoomError(error)}
          </p>
        )}
        <LanguagePicker id="landing-language" className="language-field" />
      </div>
    </main>
  );
}
