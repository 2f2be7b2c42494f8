/**
 * The desktop start screen's settings for a meeting the app hosts (issue 14): a password and the
 * lobby. They go with Host a meeting and Host on this network (`bridge.host`, `bridge.host_lan`),
 * into the new room's `POST /createRoom`; the app's own window is the host and needs neither.
 */
import { useTranslation } from 'react-i18next';

/** What the host chose. */
export interface DesktopHostSettings {
  password: string;
  lobby: boolean;
}

/** Props of {@link DesktopHostOptions}. */
export interface DesktopHostOptionsProps {
  value: DesktopHostSettings;
  onChange: (value: DesktopHostSettings) => void;
}

/** The password field and the lobby checkbox. */
export function DesktopHostOptions({ value, onChange }: DesktopHostOptionsProps) {
  const { t } = useTranslation('host');
  return (
    <div className="desktop-start__host-options">
      <label htmlFor="desktop-password" className="field__label">
        {t('desktopPassword')}
      </label>
      <input id="desktop-password" className="field__input" type="password" value={value.password} maxLength={128}
        autoComplete="new-password" onChange={(e) => onChange({ ...value, password: e.target.value })} />
      <label className="hostmenu__toggle">
        <input type="checkbox" checked={value.lobby} onChange={(e) => onChange({ ...value, lobby: e.target.checked })} />
        {t('desktopLobby')}
      </label>
    </div>
  );
}
