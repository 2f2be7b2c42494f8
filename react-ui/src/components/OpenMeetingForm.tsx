/** "Meeting link or code" and Open: on the landing page, and on a page that could not open the meeting it was given. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMeetingInput } from '../api/rooms';

/** Props of {@link OpenMeetingForm}. */
export interface OpenMeetingFormProps {
  /** Go to `/r/<roomId>` (default: load that page). */
  open?: (path: string) => void;
  /** The field's id (two forms may share a page's history, not its ids). */
  inputId?: string;
  className?: string;
}

/** The landing page's code field; offered again where a link led nowhere (`/r/<unknown>`). */
export function OpenMeetingForm({
  open = (path) => window.location.assign(path),
  inputId = 'other-meeting-input',
  className = 'landing__join open-meeting',
}: OpenMeetingFormProps) {
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
    <form className={className} onSubmit={submit}>
      <label htmlFor={inputId} className="field__label">
        {t('inputLabel')}
      </label>
      <div className="landing__row">
        <input
          id={inputId}
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
