/** The control bar's **Record** button (it reads **Stop recording** while we record). */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingPhase } from './recordingControls';

/** Starts or stops our recording; disabled while one starts or is being saved, or where the browser cannot record. */
export const RecordButton = memo(function RecordButton({ phase, supported, disabled, onStart, onStop }: {
  phase: RecordingPhase;
  supported: boolean;
  disabled?: boolean;
  onStart: () => void;
  onStop: () => void;
}) {
  const { t } = useTranslation('recording');
  const recording = phase === 'recording';
  const label = recording ? t('stop') : t('record');
  const busy = phase === 'starting' || phase === 'saving';
  const title = !supported ? t('unsupported') : busy ? t(phase) : label;
  return (
    <button
      type="button"
      className={`control${recording ? ' control--recording' : ''}`}
      onClick={recording ? onStop : onStart}
      disabled={busy || (!recording && (!supported || disabled))}
      title={title}
      aria-label={label}
    >
      <svg width={22} height={22} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="icon">
        {recording ? <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor" /> : <circle cx="12" cy="12" r="7" fill="currentColor" />}
      </svg>
      <span className="control__label">{label}</span>
    </button>
  );
});
