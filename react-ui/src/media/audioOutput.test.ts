// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseAudioOutput, chosenAudioOutput, followAudioOutput, resetAudioOutputForTests, type SinkElement } from './audioOutput';

/** A media element whose setSinkId works (or refuses the device `refused`). */
function element(refused?: string): SinkElement & { sinkId: string } {
  const el = {
    sinkId: '',
    setSinkId: async (id: string) => {
      if (id === refused) throw new DOMException('Requested device not found', 'NotFoundError');
      el.sinkId = id;
    },
  };
  return el;
}

beforeEach(() => {
  window.localStorage.clear();
  resetAudioOutputForTests();
});
afterEach(() => resetAudioOutputForTests());

describe('audio output', () => {
  it('plays every followed element, and those added later, through the chosen speaker', async () => {
    const bob = element();
    followAudioOutput(bob);
    await chooseAudioOutput('headset');
    expect(bob.sinkId).toBe('headset');
    const carol = element();
    followAudioOutput(carol);
    await Promise.resolve();
    expect(carol.sinkId).toBe('headset');
  });

  it('remembers the choice for the next visit', async () => {
    await chooseAudioOutput('headset');
    resetAudioOutputForTests(); // a new page load
    expect(chosenAudioOutput()).toBe('headset');
    const bob = element();
    followAudioOutput(bob);
    await Promise.resolve();
    expect(bob.sinkId).toBe('headset');
  });

  it('an element that went is no longer changed', async () => {
    const bob = element();
    const stop = followAudioOutput(bob);
    stop();
    await chooseAudioOutput('headset');
    expect(bob.sinkId).toBe('');
  });

  it('a refused device rejects, keeps the previous speaker and is not remembered', async () => {
    const bob = element('broken');
    followAudioOutput(bob);
    await chooseAudioOutput('headset');
    await expect(chooseAudioOutput('broken')).rejects.toThrow(/not found/);
    expect(bob.sinkId).toBe('headset');
    expect(chosenAudioOutput()).toBe('headset');
    expect(window.localStorage.getItem('parley.speaker')).toBe('headset');
  });

  it('an element without setSinkId is left alone', async () => {
    followAudioOutput({});
    await expect(chooseAudioOutput('headset')).resolves.toBeUndefined();
  });
});
