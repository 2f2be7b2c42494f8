/** A labelled `<select>` of cameras or microphones. */
import { useTranslation } from 'react-i18next';

/** Props of {@link DevicePicker}. */
export interface DevicePickerProps {
  id: string;
  label: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
}

/** Shows nothing until the browser lists at least one device of the kind. */
export function DevicePicker({ id, label, devices, value, onChange }: DevicePickerProps) {
  const { t } = useTranslation('devices');
  if (devices.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select id={id} className="field__input" value={value ?? devices[0].deviceId} onChange={(e) => onChange(e.target.value)}>
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t('numbered', { label, number: index + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
