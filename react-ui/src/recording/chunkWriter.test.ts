import { describe, expect, it } from 'vitest';
import { ChunkWriter, type ChunkSink, type RecordingSaved } from './chunkWriter';

/** A sink that keeps the text of what it got, and whose writes finish when the test says. */
class FakeSink implements ChunkSink {
  got: string[] = [];
  closed = false;
  aborted = false;
  failOn: string | null = null;
  private gates: Array<() => void> = [];
  hold = false;

  async write(chunk: Blob): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.gates.push(resolve));
    const text = await chunk.text();
    if (text === this.failOn) throw new Error(`disk full at ${text}`);
    this.got.push(text);
  }

  release(): void {
    this.hold = false;
    for (const open of this.gates.splice(0)) open();
  }

  async close(): Promise<RecordingSaved> {
    this.closed = true;
    return { kind: 'saved', name: 'r.webm', path: '/home/ann/Videos/r.webm' };
  }

  async abort(): Promise<void> {
    this.aborted = true;
  }
}

const blob = (text: string) => new Blob([text]);

describe('ChunkWriter', () => {
  it('writes the chunks in order, then closes, and says where the recording went', async () => {
    const sink = new FakeSink();
    const writer = new ChunkWriter(sink);
    for (const text of ['a', 'bb', 'ccc']) writer.write(blob(text));
    const saved = await writer.finish();
    expect(sink.got).toEqual(['a', 'bb', 'ccc']);
    expect(saved).toEqual({ kind: 'saved', name: 'r.webm', path: '/home/ann/Videos/r.webm' });
    expect(sink.closed).toBe(true);
    expect([writer.written, writer.chunks, writer.pending]).toEqual([6, 3, 0]);
  });

  it('writes one chunk at a time and counts what still waits for the sink', async () => {
    const sink = new FakeSink();
    sink.hold = true;
    const writer = new ChunkWriter(sink);
    writer.write(blob('1234'));
    writer.write(blob('56'));
    expect(writer.pending).toBe(6);
    await Promise.resolve();
    sink.release();
    sink.hold = true; // the second write waits again: it only starts after the first is done
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sink.got).toEqual(['1234']);
    expect(writer.pending).toBe(2);
    sink.release();
    await writer.finish();
    expect(sink.got).toEqual(['1234', '56']);
  });

  it('skips empty chunks', async () => {
    const sink = new FakeSink();
    const writer = new ChunkWriter(sink);
    writer.write(blob(''));
    writer.write(blob('x'));
    await writer.finish();
    expect(sink.got).toEqual(['x']);
    expect(writer.chunks).toBe(1);
  });

  it('stops at the first failed write, reports it once, and gives the file up on finish', async () => {
    const sink = new FakeSink();
    sink.failOn = 'b';
    const errors: unknown[] = [];
    const writer = new ChunkWriter(sink, (error) => errors.push(error));
    for (const text of ['a', 'b', 'c']) writer.write(blob(text));
    await expect(writer.finish()).rejects.toThrow('disk full at b');
    expect(sink.got).toEqual(['a']); // nothing after the failure
    expect(errors).toHaveLength(1);
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
  });

  it('aborts: the write under way ends, what is queued behind it is dropped and the sink is given up', async () => {
    const sink = new FakeSink();
    sink.hold = true;
    const writer = new ChunkWriter(sink);
    writer.write(blob('a'));
    writer.write(blob('b'));
    await Promise.resolve(); // 'a' is being written
    const done = writer.abort();
    sink.release();
    await done;
    expect(sink.got).toEqual(['a']);
    expect(sink.aborted).toBe(true);
    expect(() => writer.write(blob('c'))).toThrow('closed');
  });
});
