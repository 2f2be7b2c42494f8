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

/**
 * Fits camera tracks to the room; `onFitted` runs once a track's new size is in effect.
 *
 * With `settleMs`, a fit waits until the room has not changed for that long, and only the last one
 * asked is applied: a new capture size restarts the camera, and people arriving together (a join
 * burst) would otherwise restart it once per arrival while the first pictures are on their way
 * (measured: a first remote frame 2.4 s after its connection was up, right after a fit). Until
 * then the senders scale the larger capture down themselves.
 */
export class CameraFit {
  private readonly onFitted: () => void;
  private readonly settleMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onFitted: () => void, settleMs = 0) {
    this.onFitted = onFitted;
    this.settleMs = settleMs;
  }

  /** Asks `track` (if any, and still live) for `fit`, unless that is what it was last asked. */
  fit(track: MediaStreamTrack | undefined, fit: CaptureFit): void {
    this.cancel();
    if (this.settleMs <= 0) {
      this.apply(track, fit);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.apply(track, fit);
    }, this.settleMs);
  }

  /** Forgets a fit still waiting for the room to settle. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(track: MediaStreamTrack | undefined, fit: CaptureFit): void {
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
