/** The in-call device panel: switch camera or microphone without leaving the call. */
import { useState } from 'react';
import { useMediaDevices } from '../hooks/useMediaDevices';
import { classifyMediaError, describeMediaProblem } from '../media/localMedia';
import { DevicePicker } from './DevicePicker';

/** Props of {@link DevicePanel}. */
export interface DevicePanelProps {
  /** What we send now (its tracks say which devices are open). */
  stream: MediaStream | null;
  /** Switch `kind` to the device `deviceId`; rejects as getUserMedia does. */
  onSwitch: (kind: 'audio' | 'video', deviceId: string) => Promise<void>;
}

/** Pickers for the kinds we send, set to the devices in use. */
export function DevicePanel({ stream, onSwitch }: DevicePanelProps) {
  const devices = useMediaDevices(stream);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const camera = stream?.getVideoTracks()[0];
  const microphone = stream?.getAudioTracks()[0];
  const choose = (kind: 'audio' | 'video') => (deviceId: string) => {
    setProblem(null);
    setBusy(true);
    onSwitch(kind, deviceId)
      .catch((error: unknown) => setProblem(describeMediaProblem(classifyMediaError(error), kind === 'video' ? 'camera' : 'microphone')))
      .finally(() => setBusy(false));
  };
  return (
    <aside className="panel" aria-labelledby="devices-title">
      <h2 id="devices-title" className="panel__title">
        Devices
      </h2>
      <fieldset className="panel__fields" disabled={busy}>
        {camera && (
          <DevicePicker id="call-camera-select" label="Camera" devices={devices.cameras} value={camera.getSettings?.().deviceId} onChange={choose('video')} />
        )}
        {microphone && (
          <DevicePicker
            id="call-mic-select"
            label="Microphone"
            devices={devices.microphones}
            value={microphone.getSettings?.().deviceId}
            onChange={choose('audio')}
          />
        )}
      </fieldset>
      {problem && (
        <p className="message message--warning" role="alert">
          {problem}
        </p>
      )}
    </aside>
  );
}
