/**
 * Renders a running {@link CallSession}'s snapshots for as long as the call page is shown, and ends
 * the session when the page goes. Also says goodbye reliably: `pagehide` sends `POST /leaveRoom` with
 * `navigator.sendBeacon` (a JSON Blob), so the others see us leave at once even when the socket is not closed
 * cleanly. The session is made and started by whoever shows the page (at the Join click, so that
 * joining does not wait for the call page to render).
 */
import { useEffect } from 'react';
import { useStoreState } from './useStoreState';
import type { CallSession, CallSnapshot } from '../call/callSession';

/** The session's current snapshot. */
export function useCallSession(session: CallSession): CallSnapshot {
  useEffect(() => {
    session.start();
    const onPageHide = () => sendLeaveBeacon(session);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      session.leave();
    };
  }, [session]);
  // Snapshots render as transitions (see useStoreState.ts): most come from inside WebRTC's events
  // (a track arriving in setRemoteDescription, a connection state), and a blocking render of the
  // whole call page there held the main thread for 100-400 ms per event while a join's offers,
  // answers and candidates waited behind it.
  const snapshot = useStoreState(session, subscribeSession, snapshotOf);
  return snapshot;
}

/** `POST /leaveRoom` by `navigator.sendBeacon`, for a page going away with the call in it. */
export function sendLeaveBeacon(session: CallSession): void {
  const body = session.leaveBeaconBody();
  // A Blob typed application/json: the server refuses text/plain POSTs (cross-site forms).
  if (body) navigator.sendBeacon?.('/leaveRoom', new Blob([body], { type: 'application/json' }));
}

const subscribeSession = (session: CallSession, onChange: () => void) => session.subscribe(onChange);
const snapshotOf = (session: CallSession) => session.snapshot;
