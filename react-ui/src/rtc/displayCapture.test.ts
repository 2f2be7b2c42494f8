import { describe, expect, it } from 'vitest';
import { captureDisplay, DISPLAY_MEDIA_OPTIONS } from './displayCapture';

// Share screen asks for the screen with its sound; a browser that cannot give sound still shares.

function devices(...answers: (MediaStream | Error)[]) {
  const asked: DisplayMediaStreamOptions[] = [];
  return {
    asked,
    getDisplayMedia: async (options?: DisplayMediaStreamOptions) => {
      asked.push(options ?? {});
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer as MediaStream;
    },
  };
}

const named = (name: string) => Object.assign(new Error(name), { name });
const screen = { id: 'screen' } as MediaStream;

describe('captureDisplay', () => {
  it('asks for the sound with the screen, untouched by voice processing', async () => {
    const media = devices(screen);
    await expect(captureDisplay(media)).resolves.toBe(screen);
    expect(media.asked).toEqual([DISPLAY_MEDIA_OPTIONS]);
    expect(media.asked[0].audio).toMatchObject({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  });

  it.each(['TypeError', 'NotSupportedError', 'OverconstrainedError'])('asks again without sound after a %s', async (name) => {
    const media = devices(named(name), screen);
    await expect(captureDisplay(media)).resolves.toBe(screen);
    expect(media.asked.map((o) => Boolean(o.audio))).toEqual([true, false]);
  });

  it('does not ask again when the user refused or cancelled', async () => {
    const media = devices(named('NotAllowedError'), screen);
    await expect(captureDisplay(media)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(media.asked).toHaveLength(1);
  });
});
