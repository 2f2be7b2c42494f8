// @vitest-environment jsdom
/**
 * The DOM contract that the end-to-end tests rely on (react-ui/README.md): tiles, stage and the
 * control bar's accessible names.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ControlBar, type ControlBarProps } from './ControlBar';
import { Stage } from './Stage';
import { Tile } from './Tile';

afterEach(cleanup);
beforeAll(() => {
  // jsdom does not implement media playback.
  HTMLMediaElement.prototype.play = () => Promise.resolve();
});

describe('Tile', () => {
  it('names the user, carries the ids, and has a video', () => {
    render(<Tile userId="u1" displayName="Ann Lee" stream={null} audioMuted={false} videoMuted={false} speaking={false} />);
    const tile = screen.getByTestId('tile');
    expect(tile.dataset.userId).toBe('u1');
    expect(tile.dataset.self).toBe('false');
    expect(tile.dataset.speaking).toBe('false');
    expect(within(tile).getByText('Ann Lee')).toBeTruthy();
    expect(tile.querySelector('video')).not.toBeNull();
    expect(within(tile).queryByTestId('muted-indicator')).toBeNull();
  });

  it('shows the muted indicator only while muted, and marks the speaker and ourselves', () => {
    render(<Tile userId="me" displayName="Me" stream={null} audioMuted videoMuted={false} speaking self />);
    const tile = screen.getByTestId('tile');
    expect(within(tile).getByTestId('muted-indicator').getAttribute('aria-label')).toBe('Muted');
    expect(tile.dataset.self).toBe('true');
    expect(tile.dataset.speaking).toBe('true');
  });
});

describe('Stage', () => {
  it('is present with an empty sharer id while nobody shares', () => {
    render(<Stage sharerId={null} sharerName={null} stream={null} self={false} />);
    const stage = screen.getByTestId('stage');
    expect(stage.getAttribute('data-sharer-id')).toBe('');
    expect(stage.querySelector('video')).toBeNull();
  });

  it("plays the sharer's screen and names them", () => {
    const stream = { id: 's1', getVideoTracks: () => [{}], getTracks: () => [{}] } as unknown as MediaStream;
    render(<Stage sharerId="u2" sharerName="Bo" stream={stream} self={false} />);
    const stage = screen.getByTestId('stage');
    expect(stage.getAttribute('data-sharer-id')).toBe('u2');
    expect((stage.querySelector('video') as HTMLVideoElement & { srcObject: unknown }).srcObject).toBe(stream);
  });
});

describe('ControlBar', () => {
  const props = (over: Partial<ControlBarProps> = {}): ControlBarProps => ({
    audioMuted: false,
    videoMuted: false,
    hasAudio: true,
    hasVideo: true,
    sharing: false,
    canShare: true,
    participantsOpen: false,
    participantCount: 2,
    devicesOpen: false,
    onToggleAudio: vi.fn(),
    onToggleVideo: vi.fn(),
    onToggleShare: vi.fn(),
    onToggleParticipants: vi.fn(),
    onToggleDevices: vi.fn(),
    onLeave: vi.fn(),
    ...over,
  });

  it('has the exact button names, which flip with the state', () => {
    const { rerender } = render(<ControlBar {...props()} />);
    for (const name of ['Mute', 'Turn camera off', 'Share screen', 'Devices', 'Leave']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
    rerender(<ControlBar {...props({ audioMuted: true, videoMuted: true, sharing: true })} />);
    for (const name of ['Unmute', 'Turn camera on', 'Stop sharing']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
  });

  it('calls back on click and the buttons take keyboard focus', () => {
    const p = props();
    render(<ControlBar {...p} />);
    const leave = screen.getByRole('button', { name: 'Leave' });
    leave.focus();
    expect(document.activeElement).toBe(leave);
    leave.click();
    screen.getByRole('button', { name: 'Share screen' }).click();
    expect(p.onLeave).toHaveBeenCalledTimes(1);
    expect(p.onToggleShare).toHaveBeenCalledTimes(1);
    screen.getByRole('button', { name: 'Devices' }).click();
    expect(p.onToggleDevices).toHaveBeenCalledTimes(1);
  });

  it('has no Devices to switch when neither camera nor microphone is in use', () => {
    render(<ControlBar {...props({ hasAudio: false, hasVideo: false })} />);
    expect((screen.getByRole('button', { name: 'Devices' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
