/** A `<video>` that plays a MediaStream (React cannot set `srcObject` as an attribute). */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { followAudioOutput } from '../media/audioOutput';
import { preparedVideo } from '../media/remoteVideos';

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
  /** Show the element media/remoteVideos.ts made for `stream` (started when it arrived) instead of a new one. */
  prepared?: boolean;
}

/** Plays `stream`; re-attaches when the stream or its tracks change. */
export function VideoView(props: VideoViewProps) {
  // Before the stream comes, a tile still has its (empty) <video>: the tiles' DOM contract.
  return props.prepared && props.stream ? <PreparedVideoView {...props} stream={props.stream} /> : <OwnVideoView {...props} />;
}

function classNameOf({ className, mirrored = false }: VideoViewProps): string {
  return [className, mirrored ? 'mirrored' : ''].filter(Boolean).join(' ');
}

function playOrSay(video: HTMLVideoElement, blocked: { current?: () => void }): void {
  // Autoplay can be refused before a user gesture; the Join click normally counts as one, but
  // not everywhere (Safari, a page restored from history). (Some environments return no
  // promise from play().)
  void video.play()?.catch((error: unknown) => {
    if ((error as { name?: string } | null)?.name === 'NotAllowedError') blocked.current?.();
  });
}

/** A remote stream's element from media/remoteVideos.ts, placed in a slot that takes no box of its own. */
function PreparedVideoView(props: VideoViewProps & { stream: MediaStream }) {
  const { muted = false, label } = props;
  const slot = useRef<HTMLSpanElement>(null);
  const blocked = useRef(props.onBlocked);
  blocked.current = props.onBlocked;
  const className = classNameOf(props);
  const video = preparedVideo(props.stream);
  useLayoutEffect(() => {
    slot.current?.appendChild(video);
    // Taken out of the page (an earlier tile) it paused; a refused autoplay is said here.
    if (video.paused) playOrSay(video, blocked);
    return () => video.remove();
  }, [video]);
  useLayoutEffect(() => {
    video.className = className;
    video.muted = muted;
    if (label) video.setAttribute('aria-label', label);
    else video.removeAttribute('aria-label');
  }, [video, className, muted, label]);
  useEffect(() => (muted ? undefined : followAudioOutput(video)), [video, muted]);
  return <span ref={slot} className="video-slot" />;
}

function OwnVideoView(props: VideoViewProps) {
  const { stream, muted = false, label, onBlocked } = props;
  const ref = useRef<HTMLVideoElement>(null);
  const blocked = useRef(onBlocked);
  blocked.current = onBlocked;
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream) playOrSay(video, blocked);
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
      className={classNameOf(props)}
    />
  );
}
