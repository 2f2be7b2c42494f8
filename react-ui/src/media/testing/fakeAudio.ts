/** Test double: an audio context for `watchAudioLevel` (Web Audio is not in jsdom or node). */
import type { LevelAudioContext } from '../audioLevel';

/** An audio context whose analyser returns samples of amplitude `amplitude.value`. */
export function fakeAudio(amplitude: { value: number }) {
  const context = {
    closed: false,
    disconnected: false,
    createMediaStreamSource: () => ({
      connect: () => undefined,
      disconnect: () => {
        context.disconnected = true;
      },
    }),
    createAnalyser: () =>
      ({
        fftSize: 0,
        getFloatTimeDomainData: (samples: Float32Array) => samples.fill(amplitude.value),
      }) as unknown as AnalyserNode,
    close: async () => {
      context.closed = true;
    },
  };
  return { context, createContext: (): LevelAudioContext => context, createStream: () => ({}) as MediaStream };
}
