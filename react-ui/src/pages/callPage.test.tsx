// @vitest-environment jsdom
/** The call page over a real CallSession (fake WebRTC and an in-memory server, as callSession.test.ts). */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSignalingServer } from '../call/testing/fakeServer';
import { fakeSession } from '../call/testing/fakeSession';
import { CallPage } from './CallPage';

const session = (server: FakeSignalingServer, userId: string) => fakeSession(server, userId);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('CallPage', () => {
  it('asks for a click when the browser holds back the sound, and plays it on that click', async () => {
    let allowed = false;
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
      // The autoplay policy: muted videos play, sound waits for a click on the page.
      if (this.muted || allowed) return Promise.resolve();
      return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    });
    const server = new FakeSignalingServer('room');
    const alice = session(server, 'alice');
    render(<CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />);
    expect(screen.queryByRole('button', { name: 'Turn on sound' })).toBeNull();

    const bob = session(server, 'bob');
    // Bob's audio arrives after a whole negotiation over the fake network (many tasks): at a load
    // average of 40+ that took over findByRole's default 1 s. The test is about the button, not speed.
    const button = await screen.findByRole('button', { name: 'Turn on sound' }, { timeout: 10_000 });
    allowed = true;
    const before = play.mock.calls.length;
    await act(async () => fireEvent.click(button));

    expect(play.mock.calls.length).toBeGreaterThan(before);
    expect(screen.queryByRole('button', { name: 'Turn on sound' })).toBeNull();
    bob.leave();
  }, 15_000);

  it('has one level-one heading, which says what the page is', () => {
    const server = new FakeSignalingServer('room');
    const alice = session(server, 'alice');
    render(<CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />);

    const headings = screen.getAllByRole('heading', { level: 1 });
    expect(headings.map((h) => h.textContent)).toEqual(['Parley meeting']);
    alice.leave();
  });
});
