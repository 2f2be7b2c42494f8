/** Runs the `POST /joinRoom` pre-flight for the pre-join page. */
import { useCallback, useEffect, useState } from 'react';
import { preflightJoin, type ApiError } from '../api/rooms';
import type { JoinRoomResponse } from '../signaling/messages';

/** Where the pre-flight stands. */
export type PreflightState =
  | { state: 'checking' }
  | { state: 'ok'; room: JoinRoomResponse }
  | { state: 'failed'; error: ApiError };

/** The pre-flight result for `roomId`, and `retry()`. */
export function usePreflight(roomId: string): PreflightState & { retry: () => void } {
  const [result, setResult] = useState<PreflightState>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setResult({ state: 'checking' });
    void preflightJoin(roomId).then((answer) => {
      if (!current) return;
      setResult(answer.ok ? { state: 'ok', room: answer.value } : { state: 'failed', error: answer.error });
    });
    return () => {
      current = false;
    };
  }, [roomId, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...result, retry };
}
