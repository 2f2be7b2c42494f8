// @vitest-environment jsdom
/** Layouts and shortcuts on the call page, over a real CallSession (fake WebRTC and server, as callPage.test.tsx). */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeSignalingServer } from '../call/testing/fakeServer';
import { fakeSession } from '../call/testing/fakeSession';
import { LAYOUT_STORAGE_KEY } from '../layout/layout';
import { CallPage } from './CallPage';

const session = (server: FakeSignalingServer, userId: string) => fakeSession(server, userId);

beforeAll(() => {
  HTMLMediaElement.prototype.play = () => Promise.resolve(); // jsdom does not play media
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});

const tile = (userId: string) => document.querySelector<HTMLElement>(`[data-testid="tile"][data-user-id="${userId}"]`)!;
const tiles = () => document.querySelector<HTMLElement>('.tiles')!;

async function twoPeople() {
  const server = new FakeSignalingServer('room');
  const alice = session(server, 'alice');
  render(<CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />);
  const bob = session(server, 'bob');
  await screen.findByRole('button', { name: 'Pin BOB' }, { timeout: 10_000 });
  return { alice, bob };
}

describe('CallPage layouts', () => {
  it('pins a tile large and unpins it, without re-mounting any video', async () => {
    const { alice, bob } = await twoPeople();
    // Bob's tile shows the <video> started when his stream came (media/remoteVideos.ts): from then on.
    await waitFor(() => expect(tile('bob').querySelector('video')?.srcObject).toBeTruthy());
    const videos = [tile('alice').querySelector('video'), tile('bob').querySelector('video')];
    expect(tiles().dataset.layout).toBe('grid');
    expect(tile('bob').dataset.large).toBe('false');

    fireEvent.click(screen.getByRole('button', { name: 'Pin BOB' }));
    expect(tiles().dataset.layout).toBe('speaker');
    expect(tile('bob').dataset.large).toBe('true');
    expect(tile('alice').dataset.large).toBe('false');
    fireEvent.click(within(tile('alice')).getByRole('button', { name: 'Pin yourself' }));
    expect(tile('alice').dataset.large).toBe('true');
    expect(tile('bob').dataset.large).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Unpin yourself' }));
    expect(tiles().dataset.layout).toBe('grid');

    // Pinned in the grid, L (or the menu's Grid) goes back to everyone the same size: the pin goes.
    fireEvent.click(screen.getByRole('button', { name: 'Pin BOB' }));
    fireEvent.click(screen.getByRole('button', { name: 'Layout' }));
    expect(screen.getByRole('menuitemradio', { name: 'Speaker view' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(tiles().dataset.layout).toBe('grid');
    expect(screen.getByRole('button', { name: 'Pin BOB' })).toBeTruthy();

    // The same <video> elements throughout: the layout only restyles the tiles.
    expect([tile('alice').querySelector('video'), tile('bob').querySelector('video')]).toEqual(videos);
    bob.leave();
    alice.leave();
  }, 15_000);

  it('L and the Layout menu switch to speaker view (the other person large), remembered for the next visit', async () => {
    const { alice, bob } = await twoPeople();
    const video = tile('bob').querySelector('video');
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(tiles().dataset.layout).toBe('speaker');
    expect(tile('bob').dataset.large).toBe('true');
    expect(localStorage.getItem(LAYOUT_STORAGE_KEY)).toBe('speaker');
    expect(tile('bob').querySelector('video')).toBe(video);

    fireEvent.click(screen.getByRole('button', { name: 'Layout' }));
    fireEvent.click(screen.getByRole('menuitemradio', { name: 'Grid' }));
    expect(tiles().dataset.layout).toBe('grid');
    expect(localStorage.getItem(LAYOUT_STORAGE_KEY)).toBe('grid');
    bob.leave();
    alice.leave();
  }, 15_000);

  it('M mutes, V turns the camera off, ? lists the keys; nothing while typing or with Ctrl', async () => {
    const server = new FakeSignalingServer('room');
    const alice = session(server, 'alice');
    render(
      <>
        <input aria-label="Typing here" />
        <CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />
      </>,
    );
    await act(async () => fireEvent.keyDown(document.body, { key: 'm' }));
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeTruthy();
    expect(screen.getByText('Microphone off').getAttribute('role')).toBe('status'); // said aloud
    await act(async () => fireEvent.keyDown(document.body, { key: 'v' }));
    expect(screen.getByRole('button', { name: 'Turn camera on' })).toBeTruthy();
    expect(screen.getByText('Camera off').getAttribute('role')).toBe('status'); // said aloud

    const field = screen.getByLabelText('Typing here');
    await act(async () => fireEvent.keyDown(field, { key: 'm' }));
    await act(async () => fireEvent.keyDown(document.body, { key: 'm', ctrlKey: true }));
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeTruthy();
    expect(tiles().dataset.layout).toBe('grid');

    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    // jsdom has no getDisplayMedia: S (share) is not listed where it cannot work.
    expect(within(dialog).getAllByRole('row').map((row) => row.dataset.action).slice(1)).toEqual(['microphone', 'camera', 'chat', 'hand', 'layout', 'help']);
    // Behind the modal list, keys do nothing; Escape closes it.
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(tiles().dataset.layout).toBe('grid');
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    alice.leave();
  });
});
