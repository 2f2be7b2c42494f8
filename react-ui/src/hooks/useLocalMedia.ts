/** The camera/microphone preview of the pre-join page. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getLocalMedia, stopStream, type LocalMediaResult } from '../media/localMedia';

/** The preview stream, what went wrong, and `takeStream()` to hand the stream over to the call. */
export interface LocalMedia extends LocalMediaResult {
  loading: boolean;
  /** Gives the stream to the caller; this hook will no longer stop it. */
  takeStream: () => MediaStream | null;
}

/**
 * Gets camera and microphone (when `enabled`), again whenever a device id changes. `exact`: the ids
 * were just chosen (else they are remembered ones, only preferred).
 */
export function useLocalMedia(enabled: boolean, audioDeviceId?: string, videoDeviceId?: string, exact = true): LocalMedia {
  // Which request the result answers: loading until the one for the current devices is in (also
  // on the very render that enables it, before the effect has started the request).
  const key = enabled ? `${audioDeviceId ?? ''}|${videoDeviceId ?? ''}` : null;
  const [result, setResult] = useState<LocalMediaResult & { key: string | null }>({
    stream: null,
    audioProblem: null,
    videoProblem: null,
    key: null,
  });
  const owned = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    void getLocalMedia({ audioDeviceId, videoDeviceId, exact }).then((media) => {
      if (!current) {
        stopStream(media.stream);
        return;
      }
      stopStream(owned.current);
      owned.current = media.stream;
      setResult({ ...media, key });
    });
    return () => {
      current = false;
    };
    // `exact` only changes together with a device id (a choice made on the page).
  }, [key, audioDeviceId, videoDeviceId]);

  // Stop the preview when the page goes away without joining.
  useEffect(() => () => stopStream(owned.current), []);

  const takeStream = useCallback(() => {
    const stream = owned.current;
    owned.current = null;
    return stream;
  }, []);

  const { stream, audioProblem, videoProblem } = result;
  return { stream, audioProblem, videoProblem, loading: key !== null && result.key !== key, takeStream };
}
