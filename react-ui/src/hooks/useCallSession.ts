/**
 * Runs a {@link CallSession} for as long as the call page is shown, and renders its snapshots.
 * Also says goodbye reliably: `pagehide` sends `POST /leaveRoom` with `navigator.sendBeacon`, so
 * the others see us leave at once even when the socket is not closed cleanly.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { CallSession, type CallSessionOptions, type CallSnapshot } from '../call/callSession';

/** The session's snapshot, and the session itself (for its methods). */
export function useCallSession(options: CallSessionOptions): { snapshot: CallSnapshot; session: CallSession } {
  // One session per mount: the options are read once.
  const [session] = useState(() => new CallSession(options));
  useEffect(() => {
    session.start();
    const onPageHide = () => {
      const body = session.leaveBeaconBody();
      if (body) navigator.sendBeacon?.('/leaveRoom', body);
    };
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      session.leave();
    };
  }, [session]);
  const snapshot = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.snapshot,
  );
  return { snapshot, session };
}
