/** A labelled `<select>` of cameras, microphones or speakers. */
import { useTranslation } from 'react-i18next';

/** Props of {@link DevicePicker}. */
export interface DevicePickerProps {
  id: string;
  label: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
  disabled?: boolean;
}

/** Shows nothing until the browser lists at least one device of the kind. */
export function DevicePicker({ id, label, devices, value, onChange, disabled = false }: DevicePickerProps) {
  const { t } = useTranslation('devices');
  if (devices.length === 0) return null;
  const nameOf = (device: MediaDeviceInfo, index: number) => device.label || t('numbered', { label, number: index + 1 });
  const selected = Math.max(0, devices.findIndex((device) => device.deviceId === value));
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {/* A closed <select> cuts a long name ("Echo Cancelling Speakerphone (Jabra SPEAK 510 USB)")
          at its width: the full name is its tooltip, and each option's. */}
      <select
        id={id}
        className="field__input device-select"
        value={value ?? devices[0].deviceId}
        title={nameOf(devices[selected], selected)}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
      >
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId} title={nameOf(device, index)}>
            {nameOf(device, index)}
          </option>
        ))}
      </select>
    </div>
  );
}
