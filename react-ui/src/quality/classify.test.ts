import { describe, expect, it } from 'vitest';
import { classify } from './classify';

describe('classify', () => {
  it('reads good with no metrics and with healthy ones', () => {
    expect(classify({})).toEqual({ level: 'good' });
    expect(classify({ rttS: 0.05, lossFraction: 0, jitterS: 0.005, fps: 30, expectedFps: 30 })).toEqual({ level: 'good' });
  });

  it('grades loss at 2% and 8%', () => {
    expect(classify({ lossFraction: 0.019 }).level).toBe('good');
    expect(classify({ lossFraction: 0.02 })).toEqual({ level: 'fair', metric: 'loss', value: 0.02 });
    expect(classify({ lossFraction: 0.08 })).toEqual({ level: 'poor', metric: 'loss', value: 0.08 });
  });

  it('grades RTT at 250 ms and 500 ms', () => {
    expect(classify({ rttS: 0.249 }).level).toBe('good');
    expect(classify({ rttS: 0.3 })).toMatchObject({ level: 'fair', metric: 'rtt' });
    expect(classify({ rttS: 0.6 })).toMatchObject({ level: 'poor', metric: 'rtt' });
  });

  it('grades jitter at 30 ms and 100 ms', () => {
    expect(classify({ jitterS: 0.05 })).toMatchObject({ level: 'fair', metric: 'jitter' });
    expect(classify({ jitterS: 0.1 })).toMatchObject({ level: 'poor', metric: 'jitter' });
  });

  it('grades frame rate relative to the expected rate, ignoring it without one', () => {
    expect(classify({ fps: 15, expectedFps: 30 })).toMatchObject({ level: 'fair', metric: 'fps', value: 15 });
    expect(classify({ fps: 5, expectedFps: 30 })).toMatchObject({ level: 'poor', metric: 'fps' });
    expect(classify({ fps: 1 }).level).toBe('good');
  });

  it('names the worst metric, the first one on ties', () => {
    expect(classify({ rttS: 0.3, lossFraction: 0.1 })).toMatchObject({ level: 'poor', metric: 'loss' });
    expect(classify({ rttS: 0.6, lossFraction: 0.03 })).toMatchObject({ level: 'poor', metric: 'rtt' });
    expect(classify({ rttS: 0.6, lossFraction: 0.2 })).toMatchObject({ metric: 'loss' });
  });

  it('ignores non-finite values', () => {
    expect(classify({ lossFraction: NaN, rttS: Infinity })).toEqual({ level: 'good' });
  });
});
