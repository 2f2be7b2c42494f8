/**
 * Share screen, asking first when someone else presents (components/ShareTakeoverDialog.tsx).
 * The confirmation's own click is the user gesture the browser's screen picker needs.
 */
import { useCallback, useState } from 'react';

/** What {@link useShareRequest} returns. */
export interface ShareRequest {
  /** Share screen pressed (button or S key): start, or ask first. */
  request: () => void;
  /** The presenter's name while the question is open, else null. */
  asking: string | null;
  confirm: () => void;
  cancel: () => void;
}

/** `presenter`: who shares now (null if nobody, or we do). */
export function useShareRequest(presenter: string | null, start: () => void): ShareRequest {
  const [asking, setAsking] = useState<string | null>(null);
  const request = useCallback(() => (presenter === null ? start() : setAsking(presenter)), [presenter, start]);
  const confirm = useCallback(() => {
    setAsking(null);
    start();
  }, [start]);
  const cancel = useCallback(() => setAsking(null), []);
  return { request, asking, confirm, cancel };
}
