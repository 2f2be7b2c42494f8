// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rememberDevice, rememberedDevice } from './devicePreferences';

afterEach(() => {
  window.localStorage.clear();
  vi.restoreAllMocks();
});

describe('device preferences', () => {
  it('remembers the last camera and microphone chosen, each on its own', () => {
    expect(rememberedDevice('video')).toBeUndefined();
    rememberDevice('video', 'cam2');
    rememberDevice('audio', 'mic3');
    rememberDevice('video', 'cam4');
    expect([rememberedDevice('video'), rememberedDevice('audio')]).toEqual(['cam4', 'mic3']);
  });

  it('does without when storage is blocked', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(() => rememberDevice('video', 'cam2')).not.toThrow();
    expect(rememberedDevice('video')).toBeUndefined();
  });
});
