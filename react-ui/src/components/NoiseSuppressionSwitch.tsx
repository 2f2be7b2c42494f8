/** The Devices panel's "Noise suppression" switch (RNNoise on the microphone, media/noiseSuppression.ts). */
import { useTranslation } from 'react-i18next';
import type { NoiseSuppressionStatus } from '../media/noiseSuppression';

/** Props of {@link NoiseSuppressionSwitch}. */
export interface NoiseSuppressionSwitchProps {
  status: NoiseSuppressionStatus;
  onChange: (on: boolean) => void;
}

/** A switch, on unless switched off; says so when this browser cannot run it (the raw microphone is sent). */
export function NoiseSuppressionSwitch({ status, onChange }: NoiseSuppressionSwitchProps) {
  const { t } = useTranslation('noise');
  return (
    <div className="noise-switch">
      <label className="noise-switch__label">
        <input
          type="checkbox"
          role="switch"
          checked={status !== 'off'}
          onChange={(event) => onChange(event.currentTarget.checked)}
          aria-describedby={status === 'unavailable' ? 'noise-unavailable' : undefined}
        />
        {t('switch')}
      </label>
      {status === 'unavailable' && (
        <p id="noise-unavailable" className="message message--warning" role="status">
          {t('unavailable')}
        </p>
      )}
    </div>
  );
}
