import { describe, expect, it } from 'vitest';
import { Emitter } from '../lib/emitter';
import { FileShare, type ChannelSource } from './fileShare';
import { MAX_FILE_BYTES } from './framing';
import { channelPair, type FakeChannel } from './testing/fakeChannel';

/** A stand-in for the peer manager: hands out channels and forgets links. */
class Links implements ChannelSource {
  readonly connections = new Map<string, unknown>();
  private readonly events = new Emitter<{ fileChannel: (userId: string, channel: RTCDataChannel) => void; peersChanged: () => void }>();
  on(event: 'fileChannel' | 'peersChanged', listener: never): () => void {
    return this.events.on(event, listener);
  }
  add(userId: string, channel: FakeChannel): void {
    this.connections.set(userId, {});
    this.events.emit('peersChanged');
    this.events.emit('fileChannel', userId, channel as unknown as RTCDataChannel);
  }
  remove(userId: string): void {
    this.connections.delete(userId);
    this.events.emit('peersChanged');
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('FileShare', () => {
  it('refuses a file over 200 MB and a share with nobody there', async () => {
    const links = new Links();
    const share = new FileShare({ selfId: 'a', channels: links });
    expect(await share.share(new Blob([]))).toBe('nobody');
    const huge = { size: MAX_FILE_BYTES + 1, type: '', name: 'huge.iso' } as unknown as Blob;
    expect(await share.share(huge)).toBe('tooLarge');
    expect(share.list).toEqual([]);
  });

  it('a receiver who leaves mid-transfer is stopped on the card, the others still get the file', async () => {
    const alice = new Links();
    const bob = new Links();
    const carol = new Links();
    const [ab, ba] = channelPair();
    const [ac, ca] = channelPair();
    const share = new FileShare({ selfId: 'alice', channels: alice });
    const bobs = new FileShare({ selfId: 'bob', channels: bob });
    const carols = new FileShare({ selfId: 'carol', channels: carol });
    alice.add('bob', ab);
    alice.add('carol', ac);
    bob.add('alice', ba);
    carol.add('alice', ca);
    const data = new Uint8Array(6 * 1024 * 1024).map((_, i) => i % 251);
    expect(await share.share(new File([data], 'talk.mp4', { type: 'video/mp4' }))).toBeNull();
    await settle();
    ab.drain(1024 * 1024);
    bob.remove('alice');
    alice.remove('bob');
    for (let round = 0; round < 100 && ac.pending.length + ca.pending.length > 0; round += 1) {
      ac.drain();
      ca.drain();
      await settle();
    }
    const sent = share.list[0];
    expect(sent.receivers).toEqual([
      { userId: 'bob', received: expect.any(Number), state: 'stopped' },
      { userId: 'carol', received: data.length, state: 'done' },
    ]);
    expect(sent.state).toBe('done');
    expect(bobs.list[0]).toMatchObject({ name: 'talk.mp4', state: 'stopped', blob: null });
    expect(carols.list[0]).toMatchObject({ name: 'talk.mp4', state: 'done', senderId: 'alice', own: false });
    expect(carols.list[0].blob!.size).toBe(data.length);
  });
});
