/** The Devices panel's "Noise suppression" switch (RNNoise on the microphone, media/noiseSuppression.ts). */
import { useEffect, useState } from 'react';
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
  // The call's snapshots render as transitions (useCallSession.ts): the switch shows the new state
  // at once rather than flicking back until the snapshot with it renders.
  const [flipped, setFlipped] = useState<boolean | null>(null);
  const on = status !== 'off';
  useEffect(() => setFlipped(null), [on]);
  return (
    <div className="noise-switch">
      <label className="noise-switch__label">
        <input
          type="checkbox"
          role="switch"
          checked={flipped ?? on}
          onChange={(event) => {
            setFlipped(event.currentTarget.checked);
            onChange(event.currentTarget.checked);
          }}
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
