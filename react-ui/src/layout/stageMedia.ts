/**
 * Picture-in-Picture and full screen for what is large in the call: the shared screen on the stage,
 * else the large tile of speaker view, else (PiP) the active speaker's tile or (full screen) the
 * whole tile area. Both act on the elements already on the page, so nothing is re-mounted and no
 * <video> restarts.
 */

/** The browser can show a video in Picture-in-Picture (`document.pictureInPictureEnabled`). */
export function canPictureInPicture(doc: Document = document): boolean {
  return Boolean((doc as Document & { pictureInPictureEnabled?: boolean }).pictureInPictureEnabled);
}

/** The browser (or the desktop app's web view) lets an element go full screen. */
export function canFullscreen(doc: Document = document): boolean {
  return Boolean(doc.fullscreenEnabled) && typeof doc.documentElement.requestFullscreen === 'function';
}

// By comparing ids, not through a selector: an id needs no escaping then.
function tileOf(doc: Document, userId: string | null): HTMLElement | null {
  if (!userId) return null;
  return [...doc.querySelectorAll<HTMLElement>('[data-testid="tile"]')].find((tile) => tile.dataset.userId === userId) ?? null;
}

function tileVideo(doc: Document, userId: string | null): HTMLVideoElement | null {
  return tileOf(doc, userId)?.querySelector('video') ?? null;
}

/**
 * The video Picture-in-Picture would show: the stage's, else the large tile's, else the active
 * speaker's, else the first other person's (a quiet grid), else our own.
 */
export function pictureInPictureVideo(large: string | null, activeSpeaker: string | null, doc: Document = document): HTMLVideoElement | null {
  return (
    doc.querySelector<HTMLVideoElement>('[data-testid="stage"]:not([hidden]) video') ??
    tileVideo(doc, large) ??
    tileVideo(doc, activeSpeaker) ??
    doc.querySelector<HTMLVideoElement>('[data-testid="tile"][data-self="false"] video') ??
    doc.querySelector<HTMLVideoElement>('[data-testid="tile"] video')
  );
}

/** The element full screen would show: the stage while shared, else the large tile, else all tiles. */
export function fullscreenElement(large: string | null, doc: Document = document): HTMLElement | null {
  return (
    doc.querySelector<HTMLElement>('[data-testid="stage"]:not([hidden])') ??
    tileOf(doc, large) ??
    doc.querySelector<HTMLElement>('.tiles')
  );
}

/** Opens Picture-in-Picture of `video`, or closes it if open; false when the browser refused. */
export async function togglePictureInPicture(video: HTMLVideoElement | null, doc: Document = document): Promise<boolean> {
  const pip = doc as Document & { pictureInPictureElement?: Element | null; exitPictureInPicture?: () => Promise<void> };
  try {
    if (pip.pictureInPictureElement) {
      await pip.exitPictureInPicture?.();
      return true;
    }
    if (!video || typeof video.requestPictureInPicture !== 'function') return false;
    await video.requestPictureInPicture();
    return true;
  } catch {
    return false; // e.g. the video has no frames yet (a camera that is off)
  }
}

/** Puts `element` full screen, or leaves full screen if something is; false when refused. */
export async function toggleFullscreen(element: HTMLElement | null, doc: Document = document): Promise<boolean> {
  try {
    if (doc.fullscreenElement) {
      await doc.exitFullscreen();
      return true;
    }
    if (!element) return false;
    await element.requestFullscreen();
    return true;
  } catch {
    return false;
  }
}

/** The Layout menu's Picture-in-Picture and full screen entries (null where the browser has none). */
export function stageControls(large: string | null, activeSpeaker: string | null) {
  return {
    pictureInPicture: canPictureInPicture()
      ? {
          open: () => Boolean(document.pictureInPictureElement),
          onToggle: () => void togglePictureInPicture(pictureInPictureVideo(large, activeSpeaker)),
        }
      : null,
    fullscreen: canFullscreen()
      ? { open: () => Boolean(document.fullscreenElement), onToggle: () => void toggleFullscreen(fullscreenElement(large)) }
      : null,
  };
}
