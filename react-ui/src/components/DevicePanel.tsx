/** The in-call device panel: switch camera, microphone or speaker without leaving the call, with a
 * preview of the camera and a meter of the microphone. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMediaDevices } from '../hooks/useMediaDevices';
import { classifyMediaError, describeMediaProblem, type MediaProblem } from '../media/localMedia';
import { BackgroundChoice, type BackgroundChoiceProps } from './BackgroundChoice';
import { DevicePicker } from './DevicePicker';
import { LanguagePicker } from './LanguagePicker';
import { LevelMeter } from './LevelMeter';
import { NoiseSuppressionSwitch, type NoiseSuppressionSwitchProps } from './NoiseSuppressionSwitch';
import { SpeakerPicker } from './SpeakerPicker';
import { VideoView } from './VideoView';

/** Props of {@link DevicePanel}. */
export interface DevicePanelProps {
  /** What we send now (its tracks say which devices are open). */
  stream: MediaStream | null;
  /** Switch `kind` to the device `deviceId`; rejects as getUserMedia does. */
  onSwitch: (kind: 'audio' | 'video', deviceId: string) => Promise<void>;
  /** The microphone's noise suppression and its switch (none: no switch shown). */
  noiseSuppression?: NoiseSuppressionSwitchProps;
  /** The camera's background choice (none: not shown). */
  background?: BackgroundChoiceProps;
}

/** Pickers for the kinds we send, set to the devices in use, with what they give; the speaker; the language. */
export function DevicePanel({ stream, onSwitch, noiseSuppression, background }: DevicePanelProps) {
  const { t } = useTranslation(['devices', 'common', 'entry']);
  const devices = useMediaDevices(stream);
  // Kept as a cause, not a sentence, so that it follows a change of language.
  const [problem, setProblem] = useState<{ problem: MediaProblem; what: 'camera' | 'microphone' } | null>(null);
  const [busy, setBusy] = useState(false);
  const camera = stream?.getVideoTracks()[0];
  const microphone = stream?.getAudioTracks()[0];
  const choose = (kind: 'audio' | 'video') => (deviceId: string) => {
    setProblem(null);
    setBusy(true);
    onSwitch(kind, deviceId)
      .catch((error: unknown) => setProblem({ problem: classifyMediaError(error), what: kind === 'video' ? 'camera' : 'microphone' }))
      .finally(() => setBusy(false));
  };
  return (
    <aside className="panel" aria-labelledby="devices-title">
      <h2 id="devices-title" className="panel__title">
        {t('title')}
      </h2>
      <fieldset className="panel__fields" disabled={busy}>
        {camera && (
          <DevicePicker id="call-camera-select" label={t('common:camera')} devices={devices.cameras} value={camera.getSettings?.().deviceId} onChange={choose('video')} />
        )}
        {/* Camera off (the track disabled): no black rectangle. */}
        {camera?.enabled && <VideoView stream={stream} muted mirrored className="devices__preview" label={t('entry:cameraPreview')} />}
        {camera && background && <BackgroundChoice {...background} />}
        {microphone && (
          <DevicePicker
            id="call-mic-select"
            label={t('common:microphone')}
            devices={devices.microphones}
            value={microphone.getSettings?.().deviceId}
            onChange={choose('audio')}
          />
        )}
        {microphone && <LevelMeter stream={stream} label={t('entry:micLevel')} />}
        {microphone && noiseSuppression && <NoiseSuppressionSwitch {...noiseSuppression} />}
        <SpeakerPicker speakers={devices.speakers} />
      </fieldset>
      {problem && (
        <p className="message message--warning" role="alert">
          {describeMediaProblem(problem.problem, problem.what)}
        </p>
      )}
      <LanguagePicker id="call-language" />
    </aside>
  );
}
