/** The cameras, microphones and speakers the browser lists (with labels once permission is granted). */
import { useEffect, useState } from 'react';

/** Audio inputs, video inputs and audio outputs. */
export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

const NONE: DeviceLists = { microphones: [], cameras: [], speakers: [] };
/**
 * The lists last seen, shared by every use: listing is asynchronous, so a panel that starts from empty
 * lists draws no picker for a moment, and a keyboard user's first Tab skips past the pickers.
 */
let lastSeen: DeviceLists = NONE;

/** Lists devices again when `refreshKey` changes (e.g. after permission) or devices change. */
export function useMediaDevices(refreshKey: unknown): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(() => lastSeen);
  useEffect(() => {
    const devices = navigator.mediaDevices;
    if (!devices?.enumerateDevices) return;
    let current = true;
    const load = () =>
      void devices.enumerateDevices().then((all) => {
        if (!current) return;
        lastSeen = {
          microphones: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
          cameras: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
          speakers: all.filter((d) => d.kind === 'audiooutput' && d.deviceId),
        };
        setLists(lastSeen);
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
