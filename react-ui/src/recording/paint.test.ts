import { describe, expect, it } from 'vitest';
import { FakeStream, FakeTrack } from '../rtc/testing/fakeWebRtc';
import { paintSceneOf } from './compositor';
import { recordingLayout } from './layout';
import { paint, type Context2D, type PaintScene } from './paint';
import type { Scene } from './scene';

// What the worker is told to draw (paintSceneOf), and what paint() draws where, with a context
// that only records the calls.

const stream = (...tracks: FakeTrack[]) => new FakeStream(tracks) as unknown as MediaStream;

function recordingContext() {
  const images: { image: unknown; dx: number; dy: number; dw: number; dh: number }[] = [];
  const texts: string[] = [];
  const ctx = {
    fillStyle: '', font: '', textAlign: '', textBaseline: '',
    fillRect: () => undefined,
    measureText: (text: string) => ({ width: text.length * 9 }),
    fillText: (text: string) => texts.push(text),
    drawImage: (image: unknown, ...args: number[]) => {
      const [dx, dy, dw, dh] = args.length === 8 ? args.slice(4) : args;
      images.push({ image, dx, dy, dw, dh });
    },
  };
  return { ctx: ctx as unknown as Context2D, images, texts };
}

describe('the recording frame off the main thread', () => {
  it('names each video by its track id; a camera that is off shows no video', () => {
    const screen = new FakeTrack('video', 'screen');
    const annCamera = new FakeTrack('video', 'ann camera');
    const bobCamera = new FakeTrack('video', 'bob camera');
    const scene: Scene = {
      stage: stream(screen, new FakeTrack('audio', 'tab sound')),
      tiles: [
        { userId: 'ann', name: 'Ann', stream: stream(annCamera, new FakeTrack('audio', 'mic')), videoOff: false },
        { userId: 'bob', name: 'Bob', stream: stream(bobCamera), videoOff: true },
        { userId: 'cid', name: 'Cid', stream: null, videoOff: true },
      ],
      audio: [],
    };
    const { paint: content, tracks } = paintSceneOf(scene);
    expect(content).toEqual({
      stage: screen.id,
      tiles: [{ name: 'Ann', source: annCamera.id }, { name: 'Bob', source: null }, { name: 'Cid', source: null }],
    });
    expect([...tracks.keys()]).toEqual([screen.id, annCamera.id]);
    // What the worker receives must survive structured cloning: plain data only.
    expect(structuredClone(content)).toEqual(content);
  });

  it('draws the stage whole, the tiles cut to shape, and an initial for a camera that is off', () => {
    const { ctx, images, texts } = recordingContext();
    const scene: PaintScene = { stage: 's', tiles: [{ name: 'Ann', source: 'a' }, { name: 'bob', source: null }] };
    const image = (name: string) => name as unknown as CanvasImageSource;
    const pictures = { s: { image: image('screen'), width: 1920, height: 1080 }, a: { image: image('ann'), width: 640, height: 480 } };
    paint(ctx, 1280, 720, scene, (id) => pictures[id as keyof typeof pictures] ?? null);
    const layout = recordingLayout(2, true, 1280, 720);
    const [stage, ann] = images;
    expect(stage.image).toBe('screen');
    expect(stage.dw / stage.dh).toBeCloseTo(16 / 9, 2);
    expect(stage.dw).toBeLessThanOrEqual(layout.stage!.width);
    expect(ann).toMatchObject({ image: 'ann', dx: layout.tiles[0].x, dy: layout.tiles[0].y, dw: layout.tiles[0].width, dh: layout.tiles[0].height });
    expect(images).toHaveLength(2);
    expect(texts).toEqual(['Ann', 'B', 'bob']);
  });

  it('leaves a tile empty while its video has no frame yet', () => {
    const { ctx, images, texts } = recordingContext();
    paint(ctx, 1280, 720, { stage: null, tiles: [{ name: 'Ann', source: 'a' }] }, () => null);
    expect(images).toEqual([]);
    expect(texts).toEqual(['Ann']);
  });
});
