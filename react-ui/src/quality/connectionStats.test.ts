import { describe, expect, it } from 'vitest';
import { connectionDetails } from './connectionDetails';
import { lowerLimits } from './lowerLimits';
import { receiveMetrics, sendMetrics } from './statsDelta';

type S = Record<string, unknown> & { type: string; id: string };
const report = (...stats: S[]) => new Map(stats.map((s) => [s.id, s]));

/** A connection's stats as Chromium reports them: camera and screen m-lines, audio, ICE. */
function chromiumLike(t: number, o: { sent: number; lost: number; bytes: number; screenSent?: number; screenLost?: number }): Map<string, S> {
  return report(
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' },
    { id: 'P0', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.9, localCandidateId: 'L0', remoteCandidateId: 'R0' },
    { id: 'P1', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.04, localCandidateId: 'L1', remoteCandidateId: 'R1' },
    { id: 'L1', type: 'local-candidate', candidateType: 'srflx' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'relay' },
    { id: 'CV', type: 'codec', mimeType: 'video/VP8' },
    { id: 'CA', type: 'codec', mimeType: 'audio/opus' },
    { id: 'IS', type: 'inbound-rtp', kind: 'video', mid: '2', framesPerSecond: 5, frameWidth: 1280, frameHeight: 720, codecId: 'CV', timestamp: t, bytesReceived: 0 },
    { id: 'IV', type: 'inbound-rtp', kind: 'video', mid: '1', framesPerSecond: 20, frameWidth: 640, frameHeight: 360, codecId: 'CV', timestamp: t, bytesReceived: o.bytes },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', mid: '0', codecId: 'CA', timestamp: t, bytesReceived: o.bytes / 10 },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', mid: '1', packetsSent: o.sent, framesPerSecond: 20, frameWidth: 320, frameHeight: 180, codecId: 'CV', timestamp: t, bytesSent: o.bytes / 2 },
    { id: 'OS', type: 'outbound-rtp', kind: 'video', mid: '2', packetsSent: o.screenSent ?? 50, timestamp: t, bytesSent: 0 },
    { id: 'RV', type: 'remote-inbound-rtp', kind: 'video', localId: 'OV', packetsLost: o.lost, jitter: 0.012, roundTripTime: 0.05 },
    { id: 'RS', type: 'remote-inbound-rtp', kind: 'video', localId: 'OS', packetsLost: o.screenLost ?? 40, fractionLost: 0.8, jitter: 0.5, roundTripTime: 0.05 },
  );
}

describe('sendMetrics', () => {
  it('reads loss over the interval from what the other side reports, ignoring idle senders', () => {
    const prev = chromiumLike(1000, { sent: 1000, lost: 10, bytes: 0 });
    const cur = chromiumLike(3000, { sent: 1200, lost: 40, bytes: 500_000 });
    // 30 lost of 200 sent by the camera; the screen sender (idle, old 80% loss) is left out.
    expect(sendMetrics(prev, cur)).toEqual({ lossFraction: 0.15, jitterS: 0.012, rttS: 0.05 });
  });

  it('has no loss to tell while nothing was sent', () => {
    const r = chromiumLike(1000, { sent: 1000, lost: 10, bytes: 0 });
    expect(sendMetrics(r, r).lossFraction).toBeUndefined();
  });
});

describe('receiveMetrics', () => {
  it('takes the camera (lowest video mid) and the RTT of the pair the transport selected', () => {
    const m = receiveMetrics(undefined, chromiumLike(1000, { sent: 0, lost: 0, bytes: 0 }));
    expect(m).toMatchObject({ rttS: 0.04, width: 640, height: 360, fps: 20 });
  });
});

describe('connectionDetails', () => {
  it('gives codecs, bitrates each way, the candidate types in use and the camera sizes', () => {
    const prev = chromiumLike(1000, { sent: 1000, lost: 10, bytes: 0 });
    const cur = chromiumLike(3000, { sent: 1200, lost: 40, bytes: 500_000 });
    expect(connectionDetails(prev, cur)).toEqual({
      localCandidate: 'srflx',
      remoteCandidate: 'relay',
      // 500 kB + 50 kB in 2 s
      receiving: { codec: 'VP8, opus', bitrate: 2_200_000, width: 640, height: 360, fps: 20 },
      sending: { codec: 'VP8', bitrate: 1_000_000, width: 320, height: 180, fps: 20 },
    });
  });

  it('has no bitrate on the first read', () => {
    expect(connectionDetails(undefined, chromiumLike(1000, { sent: 0, lost: 0, bytes: 9 })).receiving.bitrate).toBeUndefined();
  });
});

describe('lowerLimits', () => {
  it('halves a camera\'s lines and cuts its bits to a third, keeping its frame rate', () => {
    expect(lowerLimits('camera', { maxBitrate: 1_200_000, scaleResolutionDownBy: 1.5, maxFramerate: 30 })).toEqual({
      maxBitrate: 400_000, scaleResolutionDownBy: 3, maxFramerate: 30,
    });
    expect(lowerLimits('camera', { maxBitrate: 150_000 }).maxBitrate).toBe(100_000);
  });

  it('keeps a screen\'s resolution (text stays legible) and lowers its bits and frames', () => {
    expect(lowerLimits('screen', { maxBitrate: 2_000_000, scaleResolutionDownBy: 1, maxFramerate: 15, degradationPreference: 'maintain-resolution' })).toEqual({
      maxBitrate: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 5, degradationPreference: 'maintain-resolution',
    });
  });
});
