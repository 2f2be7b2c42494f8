import { describe, expect, it } from 'vitest';
import { QualityMonitor } from './qualityMonitor';
import { StatsConnection } from './testing';

function monitorOf(connections: Record<string, StatsConnection>, cameraOn = () => true) {
  let now = 0;
  const lowered: Array<[string, boolean]> = [];
  const monitor = new QualityMonitor({
    connections: new Map(Object.entries(connections)) as unknown as ReadonlyMap<string, RTCPeerConnection>,
    cameraOn,
    setLowered: (userId, on) => lowered.push([userId, on]),
    now: () => now,
  });
  /** One read 2 s after the last, with `n` packets each way and `loss` lost on `who`'s link. */
  const tick = async (loss: Record<string, number> = {}) => {
    now += 2000;
    for (const [id, pc] of Object.entries(connections)) pc.step(100, loss[id] ?? 0);
    await monitor.poll();
  };
  return { monitor, lowered, tick };
}

describe('QualityMonitor', () => {
  it('rates each connection each way, with the worst metric as the reason', async () => {
    const ann = new StatsConnection();
    const bob = new StatsConnection();
    const { monitor, tick } = monitorOf({ ann, bob });
    await tick();
    await tick({ bob: 0.15 });
    const { peers } = monitor.snapshot;
    expect(peers.get('ann')?.receive).toEqual({ level: 'good' });
    expect(peers.get('bob')?.receive).toEqual({ level: 'poor', metric: 'loss', value: 0.15 });
    expect(peers.get('bob')?.send).toEqual({ level: 'poor', metric: 'loss', value: 0.15 });
    expect(peers.get('bob')?.details).toMatchObject({ localCandidate: 'host', remoteCandidate: 'srflx' });
  });

  it('lowers our video to a connection poor for more than 10 s, and only to that one, then restores it', async () => {
    const ann = new StatsConnection();
    const bob = new StatsConnection();
    const { monitor, lowered, tick } = monitorOf({ ann, bob });
    for (let i = 0; i < 6; i++) await tick({ bob: 0.15 }); // 0..10 s poor: not yet
    expect(lowered).toEqual([]);
    await tick({ bob: 0.15 }); // 12 s
    expect(lowered).toEqual([['bob', true]]);
    expect(monitor.snapshot.peers.get('bob')?.lowered).toBe(true);
    expect(monitor.snapshot.peers.get('ann')?.lowered).toBe(false);
    for (let i = 0; i < 11; i++) await tick(); // 20 s good
    expect(lowered).toEqual([['bob', true], ['bob', false]]);
  });

  it('judges the frame rate against the camera\'s recent best, and not while the camera is off', async () => {
    const ann = new StatsConnection();
    let cameraOn = true;
    const { monitor, tick } = monitorOf({ ann }, () => cameraOn);
    await tick();
    ann.fps = 3;
    await tick();
    expect(monitor.snapshot.peers.get('ann')?.receive).toEqual({ level: 'poor', metric: 'fps', value: 3 });
    cameraOn = false;
    await tick();
    expect(monitor.snapshot.peers.get('ann')?.receive.level).toBe('good');
  });

  it('reads nothing from a connection that is not connected yet', async () => {
    const ann = new StatsConnection();
    ann.connectionState = 'connecting';
    const { monitor, tick } = monitorOf({ ann });
    await tick();
    expect(monitor.snapshot.peers.size).toBe(0);
  });
});
