/** The desktop app's bridge when the page runs in the Parley desktop window; null in a browser. */
import { useEffect, useState } from 'react';
import { waitForBridge, type DesktopApi } from '../desktop/desktopBridge';

/** `undefined` while looking, then the bridge or null. */
export function useDesktopBridge(): DesktopApi | null | undefined {
  const [bridge, setBridge] = useState<DesktopApi | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void waitForBridge().then((found) => {
      if (live) setBridge(found);
    });
    return () => {
      live = false;
    };
  }, []);
  return bridge;
}
