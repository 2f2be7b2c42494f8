/** Toasts for what happens in a call (callFeedback.ts), from the session's snapshots as they come. */
import { useEffect } from 'react';
import type { CallSession } from '../call/callSession';
import { CallFeedback } from './callFeedback';
import type { ToastMessage } from './toastQueue';

/** Shows through `show` the toasts that `session`'s changes call for. */
export function useCallFeedback(session: CallSession, show: (message: ToastMessage) => void): void {
  useEffect(() => {
    // Every snapshot, not only the rendered ones: a join and a leave in one tick are both said.
    const feedback = new CallFeedback();
    feedback.next(session.snapshot);
    return session.subscribe((snapshot) => {
      for (const toast of feedback.next(snapshot)) show(toast);
    });
  }, [session, show]);
}
