import { describe, expect, it } from 'vitest';
import { fitInside, GAP, recordingLayout, RECORDING_HEIGHT, RECORDING_WIDTH, type Rect } from './layout';

const inside = (r: Rect) =>
  r.x >= 0 && r.y >= 0 && r.x + r.width <= RECORDING_WIDTH && r.y + r.height <= RECORDING_HEIGHT;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('recordingLayout', () => {
  it('gives one person the whole height of the frame, 16:9, centred within the margin', () => {
    const { stage, tiles } = recordingLayout(1, false);
    expect(stage).toBeNull();
    expect(tiles).toEqual([{ x: 14, y: GAP, width: 1252, height: RECORDING_HEIGHT - 2 * GAP }]);
  });

  it('puts two people side by side, the same size, centred vertically', () => {
    const [a, b] = recordingLayout(2, false).tiles;
    expect(a.y).toBe(b.y);
    expect(a.width).toBe(b.width);
    expect(a.x + a.width + GAP).toBe(b.x);
    expect(a.y + a.height / 2).toBeCloseTo(RECORDING_HEIGHT / 2, -1);
  });

  it.each([3, 4, 5, 7, 9, 12, 20])('fits %i people inside the frame without overlaps', (n) => {
    const { tiles } = recordingLayout(n, false);
    expect(tiles).toHaveLength(n);
    for (const [i, r] of tiles.entries()) {
      expect(inside(r)).toBe(true);
      expect(r.width / r.height).toBeCloseTo(16 / 9, 1);
      for (const other of tiles.slice(i + 1)) expect(overlap(r, other)).toBe(false);
    }
  });

  it('makes four people a 2x2 grid', () => {
    const { tiles } = recordingLayout(4, false);
    expect(new Set(tiles.map((r) => r.x)).size).toBe(2);
    expect(new Set(tiles.map((r) => r.y)).size).toBe(2);
  });

  it('gives a shared screen most of the frame and stacks the people beside it', () => {
    const { stage, tiles } = recordingLayout(3, true);
    expect(stage).not.toBeNull();
    expect(stage!.width).toBeGreaterThan(RECORDING_WIDTH * 0.7);
    expect(stage!.height).toBe(RECORDING_HEIGHT - 2 * GAP);
    for (const r of tiles) {
      expect(inside(r)).toBe(true);
      expect(r.x).toBeGreaterThanOrEqual(stage!.x + stage!.width + GAP);
      expect(overlap(r, stage!)).toBe(false);
    }
    expect(new Set(tiles.map((r) => r.x)).size).toBe(1); // one column
  });

  it('lets a stage with nobody beside it fill the frame', () => {
    expect(recordingLayout(0, true)).toEqual({
      stage: { x: GAP, y: GAP, width: RECORDING_WIDTH - 2 * GAP, height: RECORDING_HEIGHT - 2 * GAP },
      tiles: [],
    });
  });

  it('scales to a smaller frame', () => {
    for (const r of recordingLayout(6, false, 640, 360).tiles) expect(r.x + r.width).toBeLessThanOrEqual(640);
  });
});

describe('fitInside', () => {
  it('letterboxes a 4:3 picture in a 16:9 area and pillarboxes a 9:16 one', () => {
    expect(fitInside(4 / 3, { x: 0, y: 0, width: 1600, height: 900 })).toEqual({ x: 200, y: 0, width: 1200, height: 900 });
    expect(fitInside(16 / 9, { x: 10, y: 10, width: 160, height: 900 })).toEqual({ x: 10, y: 415, width: 160, height: 90 });
  });

  it('keeps the area for a picture of no size yet', () => {
    expect(fitInside(NaN, { x: 1, y: 2, width: 3, height: 4 })).toEqual({ x: 1, y: 2, width: 3, height: 4 });
  });
});
