import { afterEach, describe, expect, it, vi } from 'vitest';
import { levelOf, watchAudioLevel } from './audioLevel';
import { fakeAudio } from './testing/fakeAudio';

const track = {} as MediaStreamTrack;

afterEach(() => vi.useRealTimers());

describe('levelOf', () => {
  it('is the scaled RMS, silence 0 and loud speech capped at 1', () => {
    expect(levelOf(new Float32Array(8))).toBe(0);
    expect(levelOf(new Float32Array(8).fill(0.1))).toBeCloseTo(0.4);
    expect(levelOf(new Float32Array(8).fill(-0.9))).toBe(1);
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
    expect(levels).toEqual([0.4, 0.8]);
    stop();
    amplitude.value = 0;
    vi.advanceTimersByTime(500);
    expect(levels).toEqual([0.4, 0.8]);
    expect(audio.context.closed).toBe(true);
    expect(audio.context.disconnected).toBe(true);
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
