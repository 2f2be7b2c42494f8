import { afterEach, describe, expect, it, vi } from 'vitest';
import { levelOf, watchAudioLevel } from './audioLevel';
import { fakeAudio } from './testing/fakeAudio';

const track = {} as MediaStreamTrack;

afterEach(() => vi.useRealTimers());

describe('levelOf', () => {
  it('is the RMS in decibels: silence and room noise 0, normal speech about half, full scale 1', () => {
    expect(levelOf(new Float32Array(8))).toBe(0);
    expect(levelOf(new Float32Array(8).fill(0.002))).toBe(0); // -54 dBFS: a quiet room
    expect(levelOf(new Float32Array(8).fill(0.03))).toBeCloseTo(0.4, 1); // -30 dBFS: normal speech
    expect(levelOf(new Float32Array(8).fill(0.1))).toBeCloseTo(0.6);
    expect(levelOf(new Float32Array(8).fill(-1))).toBe(1);
  });
});

describe('watchAudioLevel', () => {
  it('reports the level as it changes, not the same level again, and releases the audio when stopped', () => {
    vi.useFakeTimers();
    const amplitude = { value: 0.1 };
    const audio = fakeAudio(amplitude);
    const levels: number[] = [];
    const stop = watchAudioLevel(track, (level) => levels.push(level), audio);
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(100); // same level: not reported again
    amplitude.value = 0.2;
    vi.advanceTimersByTime(100);
    expect(levels).toEqual([0.6, 0.72]);
    stop();
    amplitude.value = 0;
    vi.advanceTimersByTime(500);
    expect(levels).toEqual([0.6, 0.72]);
    expect(audio.context.closed).toBe(true);
    expect(audio.context.disconnected).toBe(true);
  });

  it('shows a louder sound at once and lets a level fall back gradually, so a short sound stays visible', () => {
    vi.useFakeTimers();
    const amplitude = { value: 0.1 };
    const levels: number[] = [];
    const stop = watchAudioLevel(track, (level) => levels.push(level), fakeAudio(amplitude));
    vi.advanceTimersByTime(100);
    amplitude.value = 0; // the word ended
    vi.advanceTimersByTime(300);
    expect(levels).toEqual([0.6, 0.52, 0.44, 0.36]);
    vi.advanceTimersByTime(1000);
    expect(levels.at(-1)).toBe(0);
    amplitude.value = 0.1;
    vi.advanceTimersByTime(100);
    expect(levels.at(-1)).toBe(0.6);
    stop();
  });

  it('stays silent without Web Audio', () => {
    vi.useFakeTimers();
    const onLevel = vi.fn();
    const stop = watchAudioLevel(track, onLevel, { createContext: () => null });
    vi.advanceTimersByTime(500);
    stop();
    expect(onLevel).not.toHaveBeenCalled();
  });
});
