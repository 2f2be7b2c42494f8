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
 * Gets camera and microphone (when `enabled`), again whenever a device id changes. `exact`, per
 * kind: the id was chosen on this page (else it is a remembered one, only preferred). A remembered
 * device that was not the one opened, then chosen in the list, is asked for again, exactly.
 */
export function useLocalMedia(
  enabled: boolean,
  audioDeviceId?: string,
  videoDeviceId?: string,
  exact: { audio: boolean; video: boolean } = { audio: true, video: true },
): LocalMedia {
  // Which request the result answers: loading until the one for the current devices is in (also
  // on the very render that enables it, before the effect has started the request).
  const exactAudio = exact.audio;
  const exactVideo = exact.video;
  const key = enabled ? `${audioDeviceId ?? ''}|${videoDeviceId ?? ''}|${exactAudio}|${exactVideo}` : null;
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
    void getLocalMedia({ audioDeviceId, videoDeviceId, exact: { audio: exactAudio, video: exactVideo } }).then((media) => {
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
  }, [key, audioDeviceId, videoDeviceId, exactAudio, exactVideo]);

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
