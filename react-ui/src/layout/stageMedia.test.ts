// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { canFullscreen, canPictureInPicture, fullscreenElement, pictureInPictureVideo, togglePictureInPicture } from './stageMedia';

afterEach(() => {
  document.body.innerHTML = '';
});

function call(sharing: boolean) {
  document.body.innerHTML = `
    <section data-testid="stage" ${sharing ? '' : 'hidden'}>${sharing ? '<video id="stage"></video>' : ''}</section>
    <div class="tiles">
      <figure data-testid="tile" data-user-id="me" data-self="true"><video id="me"></video></figure>
      <figure data-testid="tile" data-user-id="ann" data-self="false"><video id="ann"></video></figure>
      <figure data-testid="tile" data-user-id="bo" data-self="false"><video id="bo"></video></figure>
    </div>`;
}
const id = (element: Element | null) => element?.id || element?.getAttribute('data-user-id') || element?.className || null;

describe('what Picture-in-Picture shows', () => {
  it('the shared screen, else the large tile, else the speaker, else the first other person', () => {
    call(true);
    expect(id(pictureInPictureVideo('bo', 'ann'))).toBe('stage');
    call(false);
    expect(id(pictureInPictureVideo('bo', 'ann'))).toBe('bo');
    expect(id(pictureInPictureVideo(null, 'bo'))).toBe('bo');
    expect(id(pictureInPictureVideo(null, null))).toBe('ann');
  });

  it('is not offered where the browser has none, and a refusal is reported, not thrown', async () => {
    expect(canPictureInPicture(document)).toBe(false); // jsdom, like Qt WebEngine, has no PiP
    call(false);
    const video = document.getElementById('ann') as HTMLVideoElement;
    expect(await togglePictureInPicture(video)).toBe(false);
    (video as unknown as { requestPictureInPicture: () => Promise<never> }).requestPictureInPicture = () =>
      Promise.reject(new DOMException('no frames yet', 'InvalidStateError'));
    expect(await togglePictureInPicture(video)).toBe(false);
  });
});

describe('what full screen shows', () => {
  it('the stage while shared, else the large tile, else all the tiles', () => {
    call(true);
    expect(fullscreenElement('bo')?.getAttribute('data-testid')).toBe('stage');
    call(false);
    expect(id(fullscreenElement('bo'))).toBe('bo');
    expect(id(fullscreenElement(null))).toBe('tiles');
  });

  it('is offered only where the document allows it', () => {
    expect(canFullscreen({ fullscreenEnabled: false, documentElement: document.documentElement } as unknown as Document)).toBe(false);
    const allowed = { fullscreenEnabled: true, documentElement: { requestFullscreen: () => Promise.resolve() } };
    expect(canFullscreen(allowed as unknown as Document)).toBe(true);
  });
});
