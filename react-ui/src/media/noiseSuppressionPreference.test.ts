// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noiseSuppressionWanted, rememberNoiseSuppression } from './noiseSuppressionPreference';

afterEach(() => {
  window.localStorage.clear();
  vi.restoreAllMocks();
});

describe('noise suppression preference', () => {
  it('is on until the person switches it off, and remembers the switch', () => {
    expect(noiseSuppressionWanted()).toBe(true);
    rememberNoiseSuppression(false);
    expect(noiseSuppressionWanted()).toBe(false);
    rememberNoiseSuppression(true);
    expect(noiseSuppressionWanted()).toBe(true);
  });

  it('stays on when storage is blocked', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(() => rememberNoiseSuppression(false)).not.toThrow();
    expect(noiseSuppressionWanted()).toBe(true);
  });
});
