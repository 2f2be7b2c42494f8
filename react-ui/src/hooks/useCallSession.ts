/**
 * Renders a running {@link CallSession}'s snapshots for as long as the call page is shown, and ends
 * the session when the page goes. Also says goodbye reliably: `pagehide` sends `POST /leaveRoom` with
 * `navigator.sendBeacon` (a JSON Blob), so the others see us leave at once even when the socket is not closed
 * cleanly. The session is made and started by whoever shows the page (at the Join click, so that
 * joining does not wait for the call page to render).
 */
import { startTransition, useEffect, useState } from 'react';
import type { CallSession, CallSnapshot } from '../call/callSession';

/** The session's current snapshot. */
export function useCallSession(session: CallSession): CallSnapshot {
  useEffect(() => {
    session.start();
    const onPageHide = () => {
      const body = session.leaveBeaconBody();
      // A Blob typed application/json: the server refuses text/plain POSTs (cross-site forms).
      if (body) navigator.sendBeacon?.('/leaveRoom', new Blob([body], { type: 'application/json' }));
    };
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      session.leave();
    };
  }, [session]);
  // Snapshots render as transitions, not as useSyncExternalStore's blocking renders: most come
  // from inside WebRTC's events (a track arriving in setRemoteDescription, a connection state),
  // and a blocking render of the whole call page there held the main thread for 100-400 ms per
  // event while a join's offers, answers and candidates waited behind it (a fresh tab's
  // setRemoteDescription took 200-400 ms against 50-150 ms in the minimal client). A transition
  // renders in slices between those tasks, and later snapshots replace one not yet rendered.
  // A change made by the person's own input (a click on a switch, a key) renders at once: React
  // puts a controlled input back to the value it last rendered at the end of the event, so behind
  // a transition a switch flicked back to its old state until the transition rendered.
  const [snapshot, setSnapshot] = useState(session.snapshot);
  useEffect(() => {
    // A change between the first render and this subscription is not missed.
    setSnapshot(session.snapshot);
    return session.subscribe((next) => {
      if (duringUserInput()) setSnapshot(next);
      else startTransition(() => setSnapshot(next));
    });
  }, [session]);
  return snapshot;
}

// The events React itself renders synchronously ("discrete" events, read from `window.event` as
// React does): a change made inside one of these is the person's own input.
const USER_INPUT = new Set([
  'beforeinput', 'change', 'click', 'compositionend', 'contextmenu', 'copy', 'cut', 'dragend', 'dragstart', 'drop',
  'input', 'keydown', 'keypress', 'keyup', 'mousedown', 'mouseup', 'paste', 'pointerdown', 'pointerup', 'submit',
  'touchend', 'touchstart',
]);

/** Whether the code runs inside a person's input event (a click, a key), not a network or timer one. */
function duringUserInput(): boolean {
  const event = typeof window === 'undefined' ? undefined : window.event;
  return event !== undefined && USER_INPUT.has(event.type);
}
