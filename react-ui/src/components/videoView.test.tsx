// @vitest-environment jsdom
/** A remote tile's VideoView shows the <video> started when the stream arrived (media/remoteVideos.ts). */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { preparedVideo } from '../media/remoteVideos';
import { VideoView } from './VideoView';

const plays: HTMLMediaElement[] = [];
beforeEach(() => {
  plays.length = 0;
  // jsdom plays nothing: a played element counts as playing, one taken out of the page pauses.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    plays.push(this);
    Object.defineProperty(this, 'paused', { configurable: true, value: false });
    return Promise.resolve();
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const remoteStream = () => ({ id: 'cam', getVideoTracks: () => [{}], getTracks: () => [{}] }) as unknown as MediaStream;

describe('VideoView, prepared', () => {
  it('shows the element made and started when the stream arrived, with the tile class and label', () => {
    const stream = remoteStream();
    const early = preparedVideo(stream); // the track arrived: before any tile rendered
    expect(early.srcObject).toBe(stream);
    expect(plays).toEqual([early]);
    expect(early.isConnected).toBe(false);

    render(<VideoView stream={stream} prepared className="tile__video" label="Bob's camera" />);
    const shown = screen.getByLabelText("Bob's camera");
    expect(shown).toBe(early);
    expect(shown.className).toBe('tile__video');
    expect((shown as HTMLVideoElement).muted).toBe(false);
    expect(plays).toEqual([early]); // already playing: not started again
  });

  it('plays it again in a new tile after the old one took it out of the page, and says when that is refused', async () => {
    const stream = remoteStream();
    const first = render(<VideoView stream={stream} prepared className="tile__video" label="Bob's camera" />);
    const video = screen.getByLabelText("Bob's camera");
    first.unmount();
    expect(video.isConnected).toBe(false);
    Object.defineProperty(video, 'paused', { configurable: true, value: true });
    const refused = Object.assign(new Error('no gesture'), { name: 'NotAllowedError' });
    vi.mocked(HTMLMediaElement.prototype.play).mockImplementationOnce(() => Promise.reject(refused));
    const onBlocked = vi.fn();
    render(<VideoView stream={stream} prepared className="tile__video tile--large" label="Bob's camera" onBlocked={onBlocked} />);
    expect(screen.getByLabelText("Bob's camera")).toBe(video);
    expect(video.className).toBe('tile__video tile--large');
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalledTimes(1));
  });

  it('shows an empty <video> of its own until the stream comes', () => {
    const { container, rerender } = render(<VideoView stream={null} prepared label="Bob's camera" />);
    expect(container.querySelector('video')?.srcObject ?? null).toBeNull();
    const stream = remoteStream();
    rerender(<VideoView stream={stream} prepared label="Bob's camera" />);
    expect(container.querySelector('video')?.srcObject).toBe(stream);
  });
});
