/** The desktop app's bridge when the page runs in the Parley desktop window; null in a browser. */
import { useEffect, useState } from 'react';
import { waitForBridge, type DesktopApi } from '../desktop/desktopBridge';

/**
 * `undefined` while looking, then the bridge or null. The app answers only its own start page
 * (desktop/bridge.py): on any other page in its window (a hosted server's landing page) the
 * bridge refuses, and the page is the browser's one.
 */
export function useDesktopBridge(): DesktopApi | null | undefined {
  const [bridge, setBridge] = useState<DesktopApi | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void waitForBridge()
      .then(async (found) => (found && (await found.state()).ok ? found : null))
      .catch(() => null)
      .then((usable) => {
        if (live) setBridge(usable);
      });
    return () => {
      live = false;
    };
  }, []);
  return bridge;
}
