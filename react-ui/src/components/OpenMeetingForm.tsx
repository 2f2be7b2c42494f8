/** "Meeting link or code" and Open, for a page that could not open the meeting it was given. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMeetingInput } from '../api/rooms';

/** Props of {@link OpenMeetingForm}. */
export interface OpenMeetingFormProps {
  /** Go to `/r/<roomId>` (default: load that page). */
  open?: (path: string) => void;
}

/** The landing page's code field, offered again where a link led nowhere (`/r/<unknown>`). */
export function OpenMeetingForm({ open = (path) => window.location.assign(path) }: OpenMeetingFormProps) {
  const { t } = useTranslation('landing');
  const [input, setInput] = useState('');
  const [notALink, setNotALink] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const roomId = parseMeetingInput(input);
    if (roomId) open(`/r/${encodeURIComponent(roomId)}`);
    else setNotALink(true);
  };
  return (
    <form className="landing__join open-meeting" onSubmit={submit}>
      <label htmlFor="other-meeting-input" className="field__label">
        {t('inputLabel')}
      </label>
      <div className="landing__row">
        <input
          id="other-meeting-input"
          className="field__input"
          value={input}
          onChange={(e) => {
            setInput(e.target.value);
            setNotALink(false);
          }}
          placeholder={t('inputPlaceholder')}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="button" disabled={!input.trim()}>
          {t('open')}
        </button>
      </div>
      {notALink && (
        <p role="alert" className="message message--error">
          {t('notALink')}
        </p>
      )}
    </form>
  );
}
