/** Fake peer connections for the quality tests: getStats() returns what the test last set. */

type S = Record<string, unknown> & { type: string; id: string };

/** A connection whose stats are counters the test moves forward. */
export class StatsConnection {
  connectionState: RTCPeerConnectionState = 'connected';
  /** Totals so far: packets received and lost by us, packets sent by us and reported lost. */
  received = 0;
  lost = 0;
  sent = 0;
  sentLost = 0;
  fps = 20;
  rtt = 0.03;
  t = 0;

  /** One interval of `n` packets each way, `loss` of them lost each way. */
  step(n: number, loss: number): void {
    this.t += 2000;
    this.received += Math.round(n * (1 - loss));
    this.lost += Math.round(n * loss);
    this.sent += n;
    this.sentLost += Math.round(n * loss);
  }

  async getStats(): Promise<Map<string, S>> {
    const stats: S[] = [
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: this.rtt, localCandidateId: 'L', remoteCandidateId: 'R' },
      { id: 'L', type: 'local-candidate', candidateType: 'host' },
      { id: 'R', type: 'remote-candidate', candidateType: 'srflx' },
      { id: 'C', type: 'codec', mimeType: 'video/VP8' },
      { id: 'I', type: 'inbound-rtp', kind: 'video', mid: '1', codecId: 'C', packetsReceived: this.received, packetsLost: this.lost, jitter: 0.004, framesPerSecond: this.fps, frameWidth: 640, frameHeight: 360, bytesReceived: this.received * 1000, timestamp: this.t },
      { id: 'O', type: 'outbound-rtp', kind: 'video', mid: '1', codecId: 'C', packetsSent: this.sent, bytesSent: this.sent * 1000, timestamp: this.t },
      { id: 'RI', type: 'remote-inbound-rtp', kind: 'video', localId: 'O', packetsLost: this.sentLost, jitter: 0.005, roundTripTime: this.rtt },
    ];
    return new Map(stats.map((s) => [s.id, s]));
  }
}
