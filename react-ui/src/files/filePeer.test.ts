import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, HIGH_WATER_BYTES, LOW_WATER_BYTES, MAX_FILE_BYTES, Rechunker, chunkRanges, decodeControl, sha256Hex, type FileMeta } from './framing';
import { FilePeer, type FilePeerEvents } from './filePeer';
import { FakeChannel } from './testing/fakeChannel';

/** Records every event of a FilePeer. */
function recorder() {
  const log: string[] = [];
  const files = new Map<string, Blob | null>();
  const events: FilePeerEvents = {
    incoming: (meta) => log.push(`incoming ${meta.id} ${meta.name} ${meta.size}`),
    incomingProgress: (id, received) => log.push(`incomingProgress ${id} ${received}`),
    incomingDone: (id, file) => {
      files.set(id, file);
      log.push(`incomingDone ${id} ${file ? 'ok' : 'refused'}`);
    },
    stopped: (id) => log.push(`stopped ${id}`),
    outgoingProgress: (id, received) => log.push(`outgoingProgress ${id} ${received}`),
    outgoingResult: (id, ok) => log.push(`outgoingResult ${id} ${ok}`),
  };
  return { log, files, events };
}

function pair() {
  const a = new FakeChannel();
  const b = new FakeChannel();
  a.peer = b;
  b.peer = a;
  const ra = recorder();
  const rb = recorder();
  const sender = new FilePeer(a, ra.events);
  const receiver = new FilePeer(b, rb.events);
  a.onmessage = (data) => sender.handle(data);
  b.onmessage = (data) => receiver.handle(data);
  return { a, b, ra, rb, sender, receiver };
}

function bytes(size: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) data[i] = (i * 31 + (i >> 8)) & 0xff;
  return data;
}

async function metaOf(id: string, data: Uint8Array<ArrayBuffer>, name = 'report.pdf'): Promise<FileMeta> {
  return { id, name, size: data.length, mime: 'application/pdf', sha256: await sha256Hex(data.buffer) };
}

/** Lets the sender's async reads run until it waits on the channel. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Moves everything both ways until nothing is left to move. */
async function flush(a: FakeChannel, b: FakeChannel): Promise<void> {
  for (let round = 0; round < 1000; round += 1) {
    await settle();
    if (a.pending.length === 0 && b.pending.length === 0) return;
    a.drain();
    b.drain();
  }
  throw new Error('the channels never went quiet');
}

describe('framing', () => {
  it('cuts a file into chunks that cover it exactly', () => {
    expect([...chunkRanges(2 * CHUNK_BYTES + 5)]).toEqual([
      [0, CHUNK_BYTES],
      [CHUNK_BYTES, 2 * CHUNK_BYTES],
      [2 * CHUNK_BYTES, 2 * CHUNK_BYTES + 5],
    ]);
    expect([...chunkRanges(0)]).toEqual([]);
  });

  it('cuts pieces of any size into messages of the chunk size, the same bytes in order', () => {
    const data = bytes(3 * 1000 + 7);
    const cut = new Rechunker(1000);
    // Pieces smaller than, equal to and larger than a message, and one spanning three.
    const pieces = [data.subarray(0, 10), data.subarray(10, 990), data.subarray(990, 1990), data.subarray(1990, 3007)];
    const out = pieces.flatMap((p) => cut.push(p));
    const last = cut.end();
    expect(out.map((m) => m.length)).toEqual([1000, 1000, 1000]);
    expect(last?.length).toBe(7);
    expect(cut.end()).toBeNull();
    const joined = new Uint8Array(data.length);
    let at = 0;
    for (const m of [...out, last!]) {
      joined.set(m, at);
      at += m.length;
    }
    expect(joined).toEqual(data);
    // A piece of whole messages is sent from in place, not copied.
    const whole = bytes(2000);
    expect(new Rechunker(1000).push(whole).every((m) => m.buffer === whole.buffer)).toBe(true);
  });

  it('drops control messages that are not well formed', () => {
    const sha = 'a'.repeat(64);
    expect(decodeControl('not json')).toBeNull();
    expect(decodeControl(JSON.stringify({ t: 'offer', id: 'x', name: 'n', mime: 'm', size: MAX_FILE_BYTES + 1, sha256: sha }))).toBeNull();
    expect(decodeControl(JSON.stringify({ t: 'offer', id: 'x', name: 'n', mime: 'm', size: 5, sha256: 'zz' }))).toBeNull();
    expect(decodeControl(JSON.stringify({ t: 'nope', id: 'x' }))).toBeNull();
    expect(decodeControl(JSON.stringify({ t: 'offer', id: 'x', name: 'n', mime: 'm', size: 5, sha256: sha }))).toMatchObject({ size: 5 });
  });
});

describe('FilePeer', () => {
  it('sends a file in chunks that arrive whole, with progress on both sides', async () => {
    const { a, b, ra, rb, sender } = pair();
    const data = bytes(3 * 1024 * 1024 + 123);
    const meta = await metaOf('f1', data);
    sender.send(meta, new Blob([data]));
    await flush(a, b);
    const received = rb.files.get('f1');
    expect(received).toBeInstanceOf(Blob);
    expect(await sha256Hex(received!)).toBe(meta.sha256);
    expect(received!.type).toBe('application/pdf');
    expect(rb.log[0]).toBe(`incoming f1 report.pdf ${data.length}`);
    expect(rb.log).toContain(`incomingProgress f1 ${data.length}`);
    expect(ra.log).toContain(`outgoingProgress f1 ${data.length}`);
    expect(ra.log.at(-1)).toBe('outgoingResult f1 true');
  });

  it('stops sending above the high water mark and resumes on bufferedamountlow', async () => {
    const { a, sender } = pair();
    const data = bytes(2 * HIGH_WATER_BYTES);
    sender.send(await metaOf('big', data), new Blob([data]));
    await settle();
    // Nothing was delivered, so the sender must have stopped at the high water mark.
    const buffered = a.bufferedAmount;
    expect(buffered).toBeGreaterThan(HIGH_WATER_BYTES - CHUNK_BYTES);
    expect(buffered).toBeLessThanOrEqual(HIGH_WATER_BYTES + CHUNK_BYTES + 1024);
    // Draining only down to above the low water mark fires no event: the sender still waits.
    a.drain(buffered - (LOW_WATER_BYTES + 2 * CHUNK_BYTES));
    await settle();
    expect(a.bufferedAmount).toBeLessThan(buffered);
    expect(a.bufferedAmount).toBeGreaterThan(LOW_WATER_BYTES);
    const stillWaiting = a.bufferedAmount;
    await settle();
    expect(a.bufferedAmount).toBe(stillWaiting);
    // To it: bufferedamountlow, and the sender fills up again.
    a.drain(stillWaiting - LOW_WATER_BYTES);
    await settle();
    expect(a.bufferedAmount).toBeGreaterThan(HIGH_WATER_BYTES - CHUNK_BYTES);
    expect(a.maxBuffered).toBeLessThanOrEqual(HIGH_WATER_BYTES + CHUNK_BYTES + 1024);
    // Under Chromium's 16 MiB "send queue is full", and every message within its 256 KiB limit.
    expect(a.maxBuffered).toBeLessThan(16 * 1024 * 1024);
    expect(Math.max(...a.pending.map((m) => (typeof m === 'string' ? m.length : m.byteLength)))).toBeLessThanOrEqual(256 * 1024);
  });

  it('refills while the buffer is still several MB deep, so a page late to answer bufferedamountlow never leaves the transport idle', async () => {
    const { a, sender } = pair();
    const data = bytes(3 * HIGH_WATER_BYTES);
    let handed = 0; // file bytes the sender gave the channel
    const send = a.send.bind(a);
    a.send = (message) => {
      if (typeof message !== 'string') handed += message.byteLength;
      send(message);
    };
    let woke = false;
    a.addEventListener('bufferedamountlow', () => (woke = true));
    sender.send(await metaOf('deep', data), new Blob([data]));
    await settle();
    // The transport sends a chunk at a time; after bufferedamountlow the page's main thread (busy
    // with video frames, React, other tabs) gets to the event only once 4 MiB more went out: 200 ms
    // at 20 MB/s. The channel must not run empty before the whole file was handed to it.
    const late = 4 * 1024 * 1024;
    let sinceWake = 0;
    let idleAt: number | null = null;
    while (handed < data.length) {
      if (a.bufferedAmount === 0) {
        idleAt = handed;
        break;
      }
      const before = a.bufferedAmount;
      a.drain(1);
      if (woke) sinceWake += before - a.bufferedAmount;
      if (woke && sinceWake >= late) {
        woke = false;
        sinceWake = 0;
        await settle();
      }
    }
    expect(idleAt).toBeNull();
    expect(LOW_WATER_BYTES).toBeGreaterThan(late);
  });

  it('refuses a file whose SHA-256 does not match, and tells the sender', async () => {
    const { a, b, ra, rb, sender } = pair();
    const data = bytes(200 * 1024);
    const meta = { ...(await metaOf('bad', data)), sha256: '0'.repeat(64) };
    sender.send(meta, new Blob([data]));
    await flush(a, b);
    expect(rb.files.get('bad')).toBeNull();
    expect(rb.log.at(-1)).toBe('incomingDone bad refused');
    expect(ra.log.at(-1)).toBe('outgoingResult bad false');
  });

  it('a cancel by the receiver stops the sender; the next file still arrives', async () => {
    const { a, b, ra, rb, sender, receiver } = pair();
    const first = bytes(2 * HIGH_WATER_BYTES);
    const second = bytes(100 * 1024);
    sender.send(await metaOf('one', first), new Blob([first]));
    sender.send(await metaOf('two', second, 'two.txt'), new Blob([second]));
    await settle();
    a.drain(1024 * 1024);
    receiver.cancel('one');
    await flush(a, b);
    expect(rb.log).toContain('stopped one');
    expect(ra.log).toContain('stopped one');
    expect(rb.files.has('one')).toBe(false);
    expect(await sha256Hex(rb.files.get('two')!)).toBe(await sha256Hex(second.buffer));
  });

  it('a file handed to the channel whole but not yet confirmed is stopped when the channel closes, and can be cancelled', async () => {
    const { a, b, ra, sender } = pair();
    const small = bytes(2 * 1024 * 1024); // under the high water mark: all of it goes into the buffer at once
    sender.send(await metaOf('buffered', small), new Blob([small]));
    await settle();
    expect(a.bufferedAmount).toBeGreaterThan(small.length); // handed over whole, nothing delivered
    sender.send(await metaOf('also', small), new Blob([small]));
    await settle();
    sender.cancel('also');
    expect(ra.log).toContain('stopped also');
    expect(a.pending.at(-1)).toBe(JSON.stringify({ t: 'cancel', id: 'also' }));
    a.close();
    b.close();
    expect(ra.log.filter((line) => line === 'stopped buffered')).toHaveLength(1);
  });

  it('a channel that closes mid-transfer ends the file on both sides and sends nothing more', async () => {
    const { a, b, ra, rb, sender } = pair();
    const data = bytes(2 * HIGH_WATER_BYTES);
    sender.send(await metaOf('gone', data), new Blob([data]));
    await settle();
    a.drain(2 * 1024 * 1024);
    a.close();
    b.close();
    await settle();
    expect(ra.log).toContain('stopped gone');
    expect(rb.log).toContain('stopped gone');
    expect(rb.files.has('gone')).toBe(false);
    expect(a.listenerCount('bufferedamountlow')).toBe(0);
    sender.send(await metaOf('later', data), new Blob([data]));
    expect(ra.log.at(-1)).toBe('stopped later');
  });
});
