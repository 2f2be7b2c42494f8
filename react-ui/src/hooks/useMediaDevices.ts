/** The cameras, microphones and speakers the browser lists (with labels once permission is granted). */
import { useEffect, useState } from 'react';

/** Audio inputs, video inputs and audio outputs. */
export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** Lists devices again when `refreshKey` changes (e.g. after permission) or devices change. */
export function useMediaDevices(refreshKey: unknown): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>({ microphones: [], cameras: [], speakers: [] });
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
          speakers: all.filter((d) => d.kind === 'audiooutput' && d.deviceId),
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
