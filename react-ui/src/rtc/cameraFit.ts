/**
 * Keeps the camera's capture at what its largest copy needs (`cameraCapture` in bandwidth.ts):
 * `applyConstraints` on the camera track, so that the browser scales each frame down once, for the
 * track, instead of in each of the mesh's senders and in our own preview. No React.
 */
import { captureConstraints, OPENED_FIT, type CaptureFit } from '../media/localMedia';

/**
 * The fit last asked of each track (a track not in here is as it was opened). Kept for the page,
 * not per call: a camera kept from one call to the next still has the last call's size.
 */
const asked = new WeakMap<MediaStreamTrack, string>();

/** Fits camera tracks to the room; `onFitted` runs once a track's new size is in effect. */
export class CameraFit {
  private readonly onFitted: () => void;

  constructor(onFitted: () => void) {
    this.onFitted = onFitted;
  }

  /** Asks `track` (if any, and still live) for `fit`, unless that is what it was last asked. */
  fit(track: MediaStreamTrack | undefined, fit: CaptureFit): void {
    if (!track || track.readyState === 'ended' || typeof track.applyConstraints !== 'function') return;
    const key = `${fit.height}@${fit.frameRate}`;
    if ((asked.get(track) ?? `${OPENED_FIT.height}@${OPENED_FIT.frameRate}`) === key) return;
    asked.set(track, key);
    // The browser applies constraints in the order they were asked; the last one stays.
    track.applyConstraints(captureConstraints(fit)).then(
      () => this.onFitted(),
      () => {
        // A camera that cannot do it keeps its size; the senders still scale it down.
      },
    );
  }
}
