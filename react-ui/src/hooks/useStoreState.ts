/**
 * A store's state for React, rendered as a transition: the call's stores (the session's snapshots,
 * chat, host controls, recording, files, quality) change inside WebRTC's and the socket's events,
 * and `useSyncExternalStore` renders every change at once, synchronously, whole call page included.
 * During a join that held the main thread for 40-60 ms at a time while the join's offers, answers
 * and candidates waited behind it (CPU profiles of benchmarks/fresh_tab.py). A transition renders
 * in slices between those tasks, and a later state replaces one not yet rendered.
 *
 * A change made by the person's own input (a click, a key) renders at once: React puts a controlled
 * input back to the value it last rendered at the end of the event, so behind a transition a
 * switch flicked back to its old state until the transition rendered.
 */
import { startTransition, useEffect, useState } from 'react';

/**
 * `get(store)` now, and again after every change `subscribe(store, onChange)` reports (see the
 * module's comment). `subscribe` and `get` read only `store`: a new store subscribes anew.
 */
export function useStoreState<S, T>(
  store: S,
  subscribe: (store: S, onChange: () => void) => () => void,
  get: (store: S) => T,
): T {
  const [state, setState] = useState(() => get(store));
  useEffect(() => {
    // A change between the first render and this subscription is not missed.
    setState(() => get(store));
    return subscribe(store, () => {
      const next = get(store);
      renderSoon(() => setState(() => next));
    });
    // subscribe and get are fixed functions of the store (module-level in every caller).
  }, [store]);
  return state;
}

/**
 * Runs `update` (React state updates) so that they render as this module describes: at once in a
 * person's own input event, else as a transition.
 */
export function renderSoon(update: () => void): void {
  if (duringUserInput()) update();
  else startTransition(update);
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
