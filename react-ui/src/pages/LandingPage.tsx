/** `/`: start a new meeting, or open one from a pasted link or code. */
import { useState, type FormEvent } from 'react';
import { createRoom, describeRoomError, parseMeetingInput } from '../api/rooms';
import { useDesktopBridge } from '../hooks/useDesktopBridge';
import { DesktopStartPage } from './DesktopStartPage';

/** The landing page; in the desktop app's window, its start screen instead. */
export function LandingPage({ navigate }: { navigate: (path: string) => void }) {
  const bridge = useDesktopBridge();
  if (bridge) return <DesktopStartPage bridge={bridge} />;
  return <BrowserLanding navigate={navigate} />;
}

function BrowserLanding({ navigate }: { navigate: (path: string) => void }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const newMeeting = async () => {
    setCreating(true);
    setError(null);
    const result = await createRoom();
    setCreating(false);
    if (result.ok) navigate(`/r/${encodeURIComponent(result.value.roomId)}`);
    else setError(describeRoomError(result.error));
  };

  const open = (event: FormEvent) => {
    event.preventDefault();
    const roomId = parseMeetingInput(input);
    if (roomId) navigate(`/r/${encodeURIComponent(roomId)}`);
    else setError('That is not a meeting link or code. Paste the whole link you were sent.');
  };

  return (
    <main className="landing">
      <div className="landing__card">
        <h1 className="brand">Parley</h1>
        <p className="landing__tagline">Video meetings for small groups. No account, no install.</p>
        <button type="button" className="button button--primary button--large" onClick={() => void newMeeting()} disabled={creating}>
          New meeting
        </button>
        <div className="landing__or" aria-hidden="true">
          or
        </div>
        <form className="landing__join" onSubmit={open}>
          <label htmlFor="meeting-input" className="field__label">
            Meeting link or code
          </label>
          <div className="landing__row">
            <input
              id="meeting-input"
              className="field__input"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              placeholder="https://…/r/abc123 or abc123"
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" className="button">
              Open
            </button>
          </div>
        </form>
        {error && (
          <p role="alert" className="message message--error">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}
