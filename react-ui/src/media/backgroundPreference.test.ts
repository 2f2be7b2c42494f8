// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_CHOICES, backgroundWanted, parseBackgroundChoice, rememberBackground } from './backgroundPreference';

afterEach(() => {
  window.localStorage.clear();
  vi.restoreAllMocks();
});

describe('background preference', () => {
  it('is off until the person chooses, and remembers each choice', () => {
    expect(backgroundWanted()).toBe('off');
    for (const choice of BACKGROUND_CHOICES) {
      rememberBackground(choice);
      expect(backgroundWanted()).toBe(choice);
    }
  });

  it('offers Off, Blur and the bundled images, in that order', () => {
    expect(BACKGROUND_CHOICES).toEqual(['off', 'blur', 'sunset', 'lagoon', 'meadow']);
  });

  it('reads an unknown or hand-edited value as off', () => {
    window.localStorage.setItem('parley.background', 'beach');
    expect(backgroundWanted()).toBe('off');
    expect(parseBackgroundChoice(null)).toBe('off');
    expect(parseBackgroundChoice('Blur')).toBe('off');
    expect(parseBackgroundChoice('lagoon')).toBe('lagoon');
  });

  it('stays off when storage is blocked', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(() => rememberBackground('blur')).not.toThrow();
    expect(backgroundWanted()).toBe('off');
  });
});
