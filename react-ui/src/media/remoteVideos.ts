/**
 * The others' cameras' `<video>` elements, made and started as soon as a stream arrives, before
 * the call page renders its tile: a `<video>` needs 150-300 ms after `srcObject` (its player, and
 * on a busy machine more) before it presents a frame, and a fresh tab's join renders its tiles only
 * after the links are up. Started at the track's arrival, the player is ready when the first frame
 * is decoded, and the tile adopts the element (components/VideoView.tsx). No React.
 */
const prepared = new WeakMap<MediaStream, HTMLVideoElement>();

/** The `<video>` that plays `stream`: made, given the stream and started on the first call. */
export function preparedVideo(stream: MediaStream): HTMLVideoElement {
  let video = prepared.get(stream);
  if (!video) {
    video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = stream;
    prepared.set(stream, video);
    // Refused (autoplay policy) before a tile shows it: the tile plays it again and says so.
    void video.play()?.catch(() => undefined);
  }
  return video;
}
