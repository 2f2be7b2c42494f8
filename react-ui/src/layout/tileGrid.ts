/**
 * How the call's tiles are arranged and how large they are: pure (no DOM, no React), tested alone.
 *
 * Tiles keep a 16:9 box (a camera is 16:9: a box of another shape would crop the picture, the top
 * of a face first) and are as large as the area allows with every tile in view; the rows are
 * centred, so an incomplete last row sits in the middle. The column count falls out of the area:
 * a phone in portrait gets one column. Two people are a "duo": the other person alone in the area
 * and our own picture a small thumbnail in its corner (CSS). While a screen is shared the tiles
 * are a "strip" beside (or, on a phone, under) the stage, fitted the same way into the strip.
 */
import type { LayoutMode } from './layout';

/** How the tiles are placed. `speaker` is left to the speaker-view CSS (one large tile). */
export type Arrangement = 'grid' | 'duo' | 'strip' | 'speaker';

/** The arrangement for the effective layout, the number of tiles and whether a screen is shared. */
export function chooseArrangement(effective: LayoutMode, tileCount: number, sharing: boolean): Arrangement {
  if (sharing) return 'strip';
  if (effective === 'speaker') return 'speaker';
  return tileCount === 2 ? 'duo' : 'grid';
}

/** How many tiles the fitted grid lays out (a duo's thumbnail is placed apart from the grid). */
export function fittedCount(arrangement: Arrangement, tileCount: number): number {
  return arrangement === 'duo' ? tileCount - 1 : tileCount;
}

/** The fitted grid: columns, rows and each tile's size in whole CSS pixels. */
export interface TileFit {
  cols: number;
  rows: number;
  width: number;
  height: number;
  /** The width of a full row (tiles and gaps): the area is padded to it so rows wrap at `cols`. */
  rowWidth: number;
}

/** The aspect ratio of a tile (width / height). */
export const TILE_ASPECT = 16 / 9;

/**
 * The largest tiles of `aspect` that `count` of fit into `width` x `height` with `gap` between
 * them; never below `minWidth` (then the area scrolls rather than the tiles shrinking to nothing).
 */
export function fitTiles(count: number, width: number, height: number, gap: number, aspect = TILE_ASPECT, minWidth = 0): TileFit | null {
  if (count < 1 || width <= 0 || height <= 0) return null;
  let best: TileFit | null = null;
  for (let cols = 1; cols <= count; cols += 1) {
    const rows = Math.ceil(count / cols);
    const byWidth = (width - gap * (cols - 1)) / cols;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    // Whole pixels, rounded down: rounding up could make a row one pixel too wide and wrap.
    const w = Math.max(Math.floor(Math.min(byWidth, byHeight)), Math.min(minWidth, Math.floor(byWidth)));
    if (w <= 0) continue;
    if (!best || w > best.width) best = { cols, rows, width: w, height: Math.floor(w / aspect), rowWidth: cols * w + gap * (cols - 1) };
  }
  return best;
}
