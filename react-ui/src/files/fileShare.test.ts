import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../lib/emitter';
import { FileShare, PROGRESS_RENDER_MS, type ChannelSource, type FileItem } from './fileShare';
import { HIGH_WATER_BYTES, MAX_FILE_BYTES } from './framing';
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
    const data = new Uint8Array(2 * HIGH_WATER_BYTES).map((_, i) => i % 251);
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

describe('FileShare rendering', () => {
  it('progress alone re-renders at most once per PROGRESS_RENDER_MS; the offer and the end at once', async () => {
    // Only the throttle's timers are faked: hashing and Blob reads still finish on their own.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const alice = new Links();
      const bob = new Links();
      const [ab, ba] = channelPair();
      const share = new FileShare({ selfId: 'alice', channels: alice });
      const bobs = new FileShare({ selfId: 'bob', channels: bob });
      alice.add('bob', ab);
      bob.add('alice', ba);
      const seen: FileItem[][] = [];
      bobs.onChange((items) => seen.push(items));
      const data = new Uint8Array(6 * 1024 * 1024).map((_, i) => i % 251);
      expect(await share.share(new File([data], 'talk.mp4'))).toBeNull();
      // Until both ends are through (Bob renders 'done' after hashing, real work that takes a loaded machine
      // more than any fixed number of turns): a deadline on the clock, which is not faked.
      const deadline = Date.now() + 30_000;
      while ((share.list[0].state === 'transferring' || bobs.list[0]?.state !== 'done') && Date.now() < deadline) {
        await turn();
        ab.drain(1024 * 1024);
        ba.drain();
      }
      // Six progress steps arrived with no time passing: only the offer and the end were rendered.
      expect(seen.map((items) => items[0].state)).toEqual(['transferring', 'done']);
      expect(seen.at(-1)![0].received).toBe(data.length);
      // A progress step on its own shows once the throttle's time has passed.
      const big = new Uint8Array(3 * 1024 * 1024);
      seen.length = 0;
      expect(await share.share(new File([big], 'b.bin'))).toBeNull();
      for (let round = 0; round < 50; round += 1) await turn();
      ab.drain(1024 * 1024 + 512); // the offer and the first MiB
      for (let round = 0; round < 50; round += 1) await turn();
      expect(bobs.list[1].received).toBe(1024 * 1024);
      expect(seen.map((items) => items[1]?.received)).toEqual([0]);
      await vi.advanceTimersByTimeAsync(PROGRESS_RENDER_MS);
      expect(seen.map((items) => items[1]?.received)).toEqual([0, 1024 * 1024]);
      share.dispose();
      bobs.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});
