/** The toast queue as React state, with the timer that takes each toast away when its time is up. */
import { useCallback, useEffect, useState } from 'react';
import { renderSoon } from '../hooks/useStoreState';
import { EMPTY_QUEUE, expireToasts, nextExpiry, pushToast, type Toast, type ToastMessage } from './toastQueue';

/** The toasts showing and `show` to add one. */
export interface ToastQueueState {
  toasts: readonly Toast[];
  show: (message: ToastMessage) => void;
}

/** A toast queue for one page. */
export function useToastQueue(): ToastQueueState {
  const [queue, setQueue] = useState(EMPTY_QUEUE);
  // Toasts come from the call's events (someone joined, a share started): rendered as the call's
  // snapshots are (hooks/useStoreState.ts), not as a blocking render of the whole call page.
  const show = useCallback((message: ToastMessage) => renderSoon(() => setQueue((q) => pushToast(q, message, Date.now()))), []);
  const due = nextExpiry(queue);
  useEffect(() => {
    if (due === null) return;
    const timer = setTimeout(() => renderSoon(() => setQueue((q) => expireToasts(q, Date.now()))), Math.max(0, due - Date.now()));
    return () => clearTimeout(timer);
  }, [due]);
  return { toasts: queue.toasts, show };
}
