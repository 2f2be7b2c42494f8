// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeAudio } from '../media/testing/fakeAudio';
import { LevelMeter } from './LevelMeter';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const microphone = { getAudioTracks: () => [{ id: 'mic' }] } as unknown as MediaStream;

describe('LevelMeter', () => {
  it('shows the microphone level as a meter value and a bar, and empties when the microphone goes', () => {
    vi.useFakeTimers();
    const amplitude = { value: 0.1 };
    const watch = fakeAudio(amplitude);
    const { rerender } = render(<LevelMeter stream={microphone} label="Microphone level" watch={watch} />);
    const meter = screen.getByRole('meter', { name: 'Microphone level' });
    expect(meter.getAttribute('aria-valuenow')).toBe('0');
    act(() => vi.advanceTimersByTime(100));
    // An RMS of 0.1 (-20 dBFS, a voice close to the microphone) fills well over half of the bar.
    expect(meter.getAttribute('aria-valuenow')).toBe('60');
    expect((meter.firstElementChild as HTMLElement).style.transform).toBe('scaleX(0.6)');
    rerender(<LevelMeter stream={null} label="Microphone level" watch={watch} />);
    expect(meter.getAttribute('aria-valuenow')).toBe('0');
    expect((meter.firstElementChild as HTMLElement).style.transform).toBe('scaleX(0)');
    expect(watch.context.closed).toBe(true);
  });

  it('fills a visible part of the bar for normal speech (-30 dBFS)', () => {
    vi.useFakeTimers();
    const watch = fakeAudio({ value: 0.03 });
    render(<LevelMeter stream={microphone} label="Microphone level" watch={watch} />);
    act(() => vi.advanceTimersByTime(100));
    expect(Number(screen.getByRole('meter').getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(35);
  });

  it('shows its caption beside the bar, within the meter\'s accessible name', () => {
    render(<LevelMeter stream={null} label="Microphone level" caption="Microphone" />);
    const meter = screen.getByRole('meter', { name: 'Microphone level' });
    expect(screen.getByTestId('level-meter').textContent).toBe('Microphone');
    expect(meter.parentElement).toBe(screen.getByTestId('level-meter'));
  });
});
