import { afterEach, describe, expect, it } from 'vitest';
import { resetWarmup, warmWebRtc } from './warmup';

class FakePc {
  static made: FakePc[] = [];
  calls: string[] = [];
  constructor() {
    FakePc.made.push(this);
  }
  addTransceiver(kind: string) {
    this.calls.push(`transceiver ${kind}`);
  }
  createDataChannel(label: string, init: RTCDataChannelInit) {
    this.calls.push(`channel ${label} ${init.negotiated ? 'negotiated' : ''} ${init.id}`);
    return {};
  }
  getTransceivers() {
    return [];
  }
  async createOffer() {
    this.calls.push('offer');
    return { type: 'offer', sdp: 'v=0' };
  }
  async setLocalDescription() {
    this.calls.push('local');
  }
  close() {
    this.calls.push('close');
  }
}

describe('warmWebRtc', () => {
  afterEach(() => {
    resetWarmup();
    FakePc.made = [];
  });

  it('makes one connection per page, shaped like a call link (audio, camera, screen, file channel), offers on it and closes it', async () => {
    const Pc = FakePc as unknown as typeof RTCPeerConnection;
    await warmWebRtc(Pc);
    await warmWebRtc(Pc);
    expect(FakePc.made).toHaveLength(1);
    expect(FakePc.made[0].calls).toEqual([
      'transceiver audio',
      'transceiver video',
      'transceiver video',
      'channel parley-files negotiated 0',
      'offer',
      'local',
      'close',
    ]);
  });

  it('does nothing without WebRTC', async () => {
    await expect(warmWebRtc(undefined)).resolves.toBeUndefined();
  });
});
