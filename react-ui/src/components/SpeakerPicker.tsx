/** The speaker choice of the Devices panel: where the others' sound plays (see media/audioOutput). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canChooseAudioOutput, chooseAudioOutput, chosenAudioOutput } from '../media/audioOutput';
import { DevicePicker } from './DevicePicker';

/** Props of {@link SpeakerPicker}. */
export interface SpeakerPickerProps {
  /** The audio outputs the browser lists. */
  speakers: MediaDeviceInfo[];
}

/** A picker of speakers; nothing where the browser cannot choose one (no `setSinkId`) or lists none. */
export function SpeakerPicker({ speakers }: SpeakerPickerProps) {
  const { t } = useTranslation('entry');
  const [value, setValue] = useState(chosenAudioOutput);
  const [failed, setFailed] = useState(false);
  if (!canChooseAudioOutput()) return null;
  const choose = (sinkId: string) => {
    const previous = value;
    setFailed(false);
    setValue(sinkId); // shown at once; the browser may yet refuse the device
    chooseAudioOutput(sinkId).catch(() => {
      setValue(previous);
      setFailed(true);
    });
  };
  return (
    <>
      <DevicePicker id="call-speaker-select" label={t('speaker')} devices={speakers} value={value} onChange={choose} />
      {failed && (
        <p className="message message--warning" role="alert">
          {t('speakerFailed')}
        </p>
      )}
    </>
  );
}
