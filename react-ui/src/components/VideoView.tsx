/** A `<video>` that plays a MediaStream (React cannot set `srcObject` as an attribute). */
import { useEffect, useRef } from 'react';
import { followAudioOutput } from '../media/audioOutput';

/** Props of {@link VideoView}. */
export interface VideoViewProps {
  stream: MediaStream | null;
  /** Mute our own preview and the stage (no echo); remote tiles play their audio. */
  muted?: boolean;
  mirrored?: boolean;
  className?: string;
  label?: string;
  /** The browser refused to play it (autoplay policy: sound needs a click on this page first). */
  onBlocked?: () => void;
}

/** Plays `stream`; re-attaches when the stream or its tracks change. */
export function VideoView({ stream, muted = false, mirrored = false, className, label, onBlocked }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const blocked = useRef(onBlocked);
  blocked.current = onBlocked;
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream) {
      // Autoplay can be refused before a user gesture; the Join click normally counts as one, but
      // not everywhere (Safari, a page restored from history). (Some environments return no
      // promise from play().)
      void video.play()?.catch((error: unknown) => {
        if ((error as { name?: string } | null)?.name === 'NotAllowedError') blocked.current?.();
      });
    }
  }, [stream]);
  // A view that plays sound (a remote person) plays it through the speaker chosen in Devices.
  useEffect(() => (muted || !ref.current ? undefined : followAudioOutput(ref.current)), [muted]);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted={muted}
      aria-label={label}
      className={[className, mirrored ? 'mirrored' : ''].filter(Boolean).join(' ')}
    />
  );
}
