import { describe, expect, it } from 'vitest';
import { coverRect, maskToAlpha, outputSize, segmentationSize, SegmentPacer } from './backgroundPolicy';

describe('SegmentPacer', () => {
  it('segments the first frame, then at most every minIntervalMs', () => {
    const pacer = new SegmentPacer({ maxShare: 0.5, minIntervalMs: 60 });
    expect(pacer.shouldSegment(0, false)).toBe(true);
    pacer.segmented(0, 5);
    expect(pacer.shouldSegment(33, true)).toBe(false); // the next frame of 30 per second reuses the mask
    expect(pacer.shouldSegment(66, true)).toBe(true);
  });

  it('skips segmentation, never queues it, when segmentation is slow: frames reuse the mask', () => {
    const pacer = new SegmentPacer({ maxShare: 0.4, minIntervalMs: 60 });
    pacer.segmented(0, 80); // 80 ms each: at most one per 200 ms stays within 40% of the time
    const frames = Array.from({ length: 30 }, (_, i) => i * 66.7); // two seconds at 15 frames/s
    let segmentedFrames = 0;
    for (const now of frames.slice(1)) {
      if (pacer.shouldSegment(now, true)) {
        segmentedFrames += 1;
        pacer.segmented(now, 80);
      }
    }
    // Every frame is still drawn; about one in three gets a new mask (80 ms / 0.4 = 200 ms apart).
    expect(segmentedFrames).toBeGreaterThanOrEqual(8);
    expect(segmentedFrames).toBeLessThanOrEqual(10);
    expect(pacer.meanCostMs).toBeCloseTo(80);
  });

  it('segments every frame of 15 per second when segmentation is quick', () => {
    const pacer = new SegmentPacer();
    let count = 0;
    for (let i = 0; i < 15; i++) {
      const now = i * (1000 / 15);
      if (pacer.shouldSegment(now, i > 0)) {
        count += 1;
        pacer.segmented(now, 8);
      }
    }
    expect(count).toBe(15);
  });

  it('follows a cost that changes (a running mean)', () => {
    const pacer = new SegmentPacer({ maxShare: 0.5, minIntervalMs: 0 });
    pacer.segmented(0, 10);
    for (let i = 1; i <= 20; i++) pacer.segmented(i * 1000, 100);
    expect(pacer.meanCostMs).toBeGreaterThan(95);
    expect(pacer.shouldSegment(20_000 + 150, true)).toBe(false);
    expect(pacer.shouldSegment(20_000 + 210, true)).toBe(true);
  });
});

describe('coverRect', () => {
  it('fills a frame of the same shape exactly', () => {
    expect(coverRect(640, 360, 1280, 720)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
  });

  it('cuts off the sides of a wider image, centred', () => {
    const r = coverRect(800, 300, 640, 360);
    expect(r.height).toBe(360);
    expect(r.width).toBe(960);
    expect(r.x).toBe(-160);
    expect(r.y).toBe(0);
  });

  it('cuts off the top and bottom of a taller image, centred', () => {
    const r = coverRect(640, 640, 640, 360);
    expect(r).toEqual({ x: 0, y: -140, width: 640, height: 640 });
  });
});

describe('segmentationSize', () => {
  it('scales a frame down to the model size, keeping its shape', () => {
    expect(segmentationSize(640, 360)).toEqual({ width: 256, height: 144 });
    expect(segmentationSize(1280, 720)).toEqual({ width: 256, height: 144 });
    expect(segmentationSize(640, 480)).toEqual({ width: 256, height: 192 });
  });

  it('leaves a small frame as it is', () => {
    expect(segmentationSize(160, 90)).toEqual({ width: 160, height: 90 });
  });
});

describe('maskToAlpha', () => {
  it('makes the person opaque and the background transparent, the edge in between', () => {
    const pixels = new Uint8ClampedArray(4 * 4);
    maskToAlpha([1, 0, 0.5, 1.2], pixels);
    expect([pixels[3], pixels[7], pixels[11], pixels[15]]).toEqual([255, 0, 128, 255]);
  });
});

describe('outputSize', () => {
  it('sends a 720p camera at 640x360 with an effect on, and a smaller one as it is', () => {
    expect(outputSize(1280, 720)).toEqual({ width: 640, height: 360 });
    expect(outputSize(640, 360)).toEqual({ width: 640, height: 360 });
    expect(outputSize(320, 180)).toEqual({ width: 320, height: 180 });
  });
});
