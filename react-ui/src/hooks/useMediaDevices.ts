/** The cameras and microphones the browser lists (with labels once permission is granted). */
import { useEffect, useState } from 'react';

/** Audio inputs and video inputs. */
export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
}

/** Lists devices again when `refreshKey` changes (e.g. after permission) or devices change. */
export function useMediaDevices(refreshKey: unknown): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>({ microphones: [], cameras: [] });
  useEffect(() => {
    const devices = navigator.mediaDevices;
    if (!devices?.enumerateDevices) return;
    let current = true;
    const load = () =>
      void devices.enumerateDevices().then((all) => {
        if (!current) return;
        setLists({
          microphones: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
          cameras: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
        });
      });
    load();
    devices.addEventListener?.('devicechange', load);
    return () => {
      current = false;
      devices.removeEventListener?.('devicechange', load);
    };
  }, [refreshKey]);
  return lists;
}
