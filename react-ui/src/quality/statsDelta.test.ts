import { describe, expect, it } from 'vitest';
import { receiveMetrics } from './statsDelta';

type S = Record<string, unknown> & { type: string; id: string };
const report = (...stats: S[]) => new Map(stats.map((s) => [s.id, s]));
const video = (lost: number, received: number, extra: Record<string, unknown> = {}): S =>
  ({ id: 'v', type: 'inbound-rtp', kind: 'video', packetsLost: lost, packetsReceived: received, ...extra });
const audio = (lost: number, received: number): S =>
  ({ id: 'a', type: 'inbound-rtp', kind: 'audio', packetsLost: lost, packetsReceived: received, jitter: 0.01 });

describe('receiveMetrics', () => {
  it('computes loss over the interval only, across audio and video', () => {
    const prev = report(video(100, 900), audio(0, 1000));
    const cur = report(video(110, 980), audio(0, 1010));
    // 10 lost of 10 + 80 + 0 + 10 packets
    expect(receiveMetrics(prev, cur).lossFraction).toBeCloseTo(0.1);
  });

  it('leaves loss unknown when no packets arrived in the interval', () => {
    const r = report(video(5, 100));
    expect(receiveMetrics(r, r).lossFraction).toBeUndefined();
  });

  it('reads RTT from the nominated pair, worst jitter, and video resolution and fps', () => {
    const cur = report(
      { id: 'p0', type: 'candidate-pair', nominated: false, state: 'waiting', currentRoundTripTime: 9 },
      { id: 'p1', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.12 },
      video(0, 10, { jitter: 0.02, frameWidth: 640, frameHeight: 360, framesPerSecond: 24 }),
      audio(0, 10),
    );
    expect(receiveMetrics(undefined, cur)).toEqual({
      lossFraction: 0, rttS: 0.12, jitterS: 0.02, width: 640, height: 360, fps: 24,
    });
  });
});
