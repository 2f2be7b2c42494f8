/** The camera's background effect: what is sent for each choice and state of the processor. */
import { describe, expect, it, vi } from 'vitest';
import { BackgroundEffect, effectOf } from './background';
import type { Processor, ProcessorEvents } from './backgroundProcessor';
import type { BackgroundEffectSpec } from './backgroundMessages';

class FakeTrack {
  enabled = true;
  constructor(readonly kind: string, readonly id: string) {}
}

class FakeStream {
  readonly tracks: FakeTrack[] = [];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks.push(...tracks);
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  addTrack(track: FakeTrack) {
    this.tracks.push(track);
  }
}

interface FakeProcessor extends Processor {
  events: ProcessorEvents;
  effects: BackgroundEffectSpec[];
  closed: boolean;
  run(): void;
}

function harness(choice: 'off' | 'blur' | 'sunset' = 'blur', supported = true) {
  const started: FakeProcessor[] = [];
  const onChange = vi.fn();
  const effect = new BackgroundEffect({
    choice,
    supported: () => supported,
    onChange,
    start: (source, first, events) => {
      let running = false;
      const p: FakeProcessor = {
        source,
        output: new FakeTrack('video', `processed-${started.length}`) as unknown as MediaStreamTrack,
        get running() {
          return running && !p.closed;
        },
        stats: { frames: 0, segmented: 0, segmentMs: 0 },
        events,
        effects: [first],
        closed: false,
        setEffect: (e) => p.effects.push(e),
        close: () => {
          p.closed = true;
        },
        run: () => {
          running = true;
          events.onRunning();
        },
      };
      started.push(p);
      return p;
    },
  });
  const camera = new FakeTrack('video', 'camera');
  const microphone = new FakeTrack('audio', 'mic');
  const stream = new FakeStream([camera, microphone]) as unknown as MediaStream;
  const make = () => new FakeStream() as unknown as MediaStream;
  return { effect, started, onChange, stream, camera, microphone, make };
}

describe('BackgroundEffect', () => {
  it('sends the raw camera while off, and starts nothing', () => {
    const h = harness('off');
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
    expect(h.effect.status).toBe('off');
    expect(h.started).toHaveLength(0);
  });

  it('sends the raw camera while the model loads, then the processed one with the same sound', () => {
    const h = harness('blur');
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
    expect(h.effect.status).toBe('starting');
    expect(h.started).toHaveLength(1);
    expect(h.started[0].effects).toEqual([{ kind: 'blur' }]);
    h.started[0].run();
    expect(h.onChange).toHaveBeenCalled();
    const sent = h.effect.sendable(h.stream, h.make)!;
    expect(sent.getVideoTracks()).toEqual([h.started[0].output]);
    expect(sent.getAudioTracks()).toEqual([h.microphone]);
    expect(h.effect.status).toBe('on');
    // The same answer for the same stream: the peer links see no change.
    expect(h.effect.sendable(h.stream, h.make)).toBe(sent);
  });

  it('changes the image without restarting, and stops the worker when switched off', () => {
    const h = harness('blur');
    h.effect.sendable(h.stream, h.make);
    h.started[0].run();
    h.effect.setChoice('sunset');
    expect(h.started).toHaveLength(1);
    expect(h.started[0].effects.at(-1)).toEqual(effectOf('sunset'));
    expect(h.effect.choice).toBe('sunset');
    h.effect.setChoice('off');
    expect(h.started[0].closed).toBe(true);
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
    expect(h.effect.status).toBe('off');
  });

  it('falls back to the raw camera, with status unavailable, when the worker fails', () => {
    const h = harness('blur');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    h.effect.sendable(h.stream, h.make);
    h.started[0].events.onError(new Error('WebGL is missing'));
    expect(h.effect.status).toBe('unavailable');
    expect(h.effect.failure).toBe('WebGL is missing');
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
    expect(h.started).toHaveLength(1); // not tried again and again
  });

  it('says unavailable where the browser cannot process video in a worker', () => {
    const h = harness('blur', false);
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
    expect(h.effect.status).toBe('unavailable');
    expect(h.started).toHaveLength(0);
  });

  it('starts again for another camera, and follows the camera being switched off', () => {
    const h = harness('blur');
    h.effect.sendable(h.stream, h.make);
    h.started[0].run();
    const other = new FakeTrack('video', 'other camera');
    const switched = new FakeStream([other, h.microphone]) as unknown as MediaStream;
    expect(h.effect.sendable(switched, h.make)).toBe(switched); // raw until the new one runs
    expect(h.started[0].closed).toBe(true);
    expect(h.started[1].source).toBe(other);
    h.started[1].run();
    other.enabled = false;
    const sent = h.effect.sendable(switched, h.make)!;
    expect(sent.getVideoTracks()[0].enabled).toBe(false);
  });

  it('stops everything when closed', () => {
    const h = harness('blur');
    h.effect.sendable(h.stream, h.make);
    h.effect.close();
    expect(h.started[0].closed).toBe(true);
    expect(h.effect.sendable(h.stream, h.make)).toBe(h.stream);
  });
});
