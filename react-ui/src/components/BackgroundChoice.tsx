/**
 * The camera's background choice (issue 15): **Off**, **Blur** or one of the bundled images, as a
 * radio group on the pre-join page and in the Devices panel; says so while the effect starts and
 * when it cannot run here (the raw camera is sent then).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackgroundStatus } from '../media/background';
import { BACKGROUND_IMAGE_URLS } from '../media/backgroundImages';
import { BACKGROUND_CHOICES, type BackgroundChoice as Choice } from '../media/backgroundPreference';

/** Props of {@link BackgroundChoice}. */
export interface BackgroundChoiceProps {
  choice: Choice;
  status: BackgroundStatus;
  onChange: (choice: Choice) => void;
}

/** One radio per choice, the images with a small thumbnail. */
export function BackgroundChoice({ choice, status, onChange }: BackgroundChoiceProps) {
  const { t } = useTranslation('background');
  const name = useId();
  const messageId = `${name}-status`;
  const message = status === 'unavailable' ? t('unavailable') : status === 'starting' ? t('starting') : null;
  return (
    <fieldset className="background-choice" aria-describedby={message ? messageId : undefined}>
      <legend className="background-choice__legend">{t('legend')}</legend>
      <div className="background-choice__options">
        {BACKGROUND_CHOICES.map((option) => (
          <label key={option} className="background-choice__option">
            <input
              type="radio"
              name={name}
              value={option}
              checked={choice === option}
              onChange={() => onChange(option)}
            />
            {option !== 'off' && option !== 'blur' && (
              <img className="background-choice__thumb" src={BACKGROUND_IMAGE_URLS[option]} alt="" width={48} height={27} />
            )}
            {t(option)}
          </label>
        ))}
      </div>
      {message && (
        <p
          id={messageId}
          className={`message${status === 'unavailable' ? ' message--warning' : ''} background-choice__status`}
          role="status"
        >
          {message}
        </p>
      )}
    </fieldset>
  );
}
