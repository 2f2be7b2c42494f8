import { beforeEach, describe, expect, it } from 'vitest';
import { FILE_CHANNEL_ID } from './fileChannel';
import { connectedPair, pc, resetMesh } from './testing/mesh';

beforeEach(resetMesh);

describe('file channel', () => {
  it('every link has one negotiated, ordered file channel with the same id on both sides', async () => {
    const seen: string[] = [];
    const [alice, bob] = await connectedPair();
    for (const [self, remote] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const channels = pc(self, remote.id).dataChannels;
      expect(channels).toHaveLength(1);
      expect(channels[0].init).toEqual({ negotiated: true, id: FILE_CHANNEL_ID, ordered: true });
      seen.push(channels[0].label);
    }
    expect(seen[0]).toBe(seen[1]);
  });

  it('closes with its link', async () => {
    const [alice, bob] = await connectedPair();
    const channel = pc(alice, bob.id).dataChannels[0];
    alice.manager.closeAll();
    expect(channel.readyState).toBe('closed');
  });
});
