import { describe, expect, it } from 'vitest';
import { chooseArrangement, fitTiles, fittedCount } from './tileGrid';

const overlapFree = (fit: NonNullable<ReturnType<typeof fitTiles>>, width: number, height: number, gap: number) =>
  fit.rowWidth <= width && fit.rows * fit.height + (fit.rows - 1) * gap <= height;

describe('fitTiles', () => {
  it('three people on a wide screen: two columns, 16:9, inside the area', () => {
    const fit = fitTiles(3, 1416, 560, 12)!;
    expect(fit).toMatchObject({ cols: 2, rows: 2 });
    expect(Math.abs(fit.width / fit.height - 16 / 9)).toBeLessThan(0.02);
    expect(overlapFree(fit, 1416, 560, 12)).toBe(true);
  });

  it('three people on a phone in portrait: one column', () => {
    const fit = fitTiles(3, 366, 640, 12)!;
    expect(fit.cols).toBe(1);
    expect(overlapFree(fit, 366, 640, 12)).toBe(true);
  });

  it('a short strip under the stage: tiles side by side, all in view', () => {
    const fit = fitTiles(3, 366, 236, 12)!;
    expect(fit.cols).toBeGreaterThan(1);
    expect(overlapFree(fit, 366, 236, 12)).toBe(true);
  });

  it('every count up to 12 in many areas fits without overlap (whole pixels, rows never wider than the area)', () => {
    for (const [w, h] of [[1416, 560], [366, 640], [180, 250], [820, 230], [333, 97]]) {
      for (let n = 1; n <= 12; n += 1) {
        const fit = fitTiles(n, w, h, 12)!;
        expect(fit.cols * fit.rows).toBeGreaterThanOrEqual(n);
        expect(overlapFree(fit, w, h, 12)).toBe(true);
        expect(Number.isInteger(fit.width) && Number.isInteger(fit.height)).toBe(true);
      }
    }
  });

  it('a minimum width: the area scrolls instead of tiles shrinking to nothing', () => {
    expect(fitTiles(12, 200, 100, 12, 16 / 9, 80)!.width).toBe(80);
  });

  it('nothing to fit', () => {
    expect(fitTiles(0, 100, 100, 12)).toBeNull();
    expect(fitTiles(2, 0, 100, 12)).toBeNull();
  });
});

describe('chooseArrangement', () => {
  it('two people in the grid are a duo; a share is a strip; speaker view is its own', () => {
    expect(chooseArrangement('grid', 2, false)).toBe('duo');
    expect(chooseArrangement('grid', 3, false)).toBe('grid');
    expect(chooseArrangement('grid', 1, false)).toBe('grid');
    expect(chooseArrangement('grid', 2, true)).toBe('strip');
    expect(chooseArrangement('speaker', 2, false)).toBe('speaker');
  });

  it('a duo fits only the other person (our own thumbnail is apart)', () => {
    expect(fittedCount('duo', 2)).toBe(1);
    expect(fittedCount('grid', 3)).toBe(3);
  });
});
