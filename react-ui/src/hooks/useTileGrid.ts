/**
 * Sizes the call's tiles to their area (layout/tileGrid.ts): watches the tile area's size and hands
 * the call page the attributes and style for it. Where the browser has no ResizeObserver (tests in
 * jsdom) the tiles keep the plain CSS grid.
 */
import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import type { LayoutMode } from '../layout/layout';
import { chooseArrangement, fitTiles, fittedCount, type Arrangement } from '../layout/tileGrid';

/** The gap between tiles, in CSS pixels (the same as `.tiles[data-fit]` in styles.css). */
export const TILE_GAP = 12;
/** Below this width a tile is no use: the area scrolls instead. */
const MIN_TILE_WIDTH = 96;

/** What {@link useTileGrid} returns: spread `props` on the tile area. */
export interface TileGrid {
  arrangement: Arrangement;
  props: {
    ref: RefObject<HTMLDivElement | null>;
    'data-arrangement': Arrangement;
    'data-fit'?: 'true';
    /** The area size the tiles were fitted to (`<width>x<height>`): tests wait for it to match the area. */
    'data-fitted-to'?: string;
    style?: CSSProperties;
  };
}

/** The arrangement and tile size of `tileCount` tiles in the element given `props.ref`. */
export function useTileGrid(effective: LayoutMode, tileCount: number, sharing: boolean): TileGrid {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    // The border box: the padding this hook sets (to centre the rows) must not feed back into it.
    const observer = new ResizeObserver(([entry]) => {
      const box = entry.borderBoxSize?.[0];
      const width = box ? box.inlineSize : element.offsetWidth;
      const height = box ? box.blockSize : element.offsetHeight;
      setSize((old) => (old && old.width === width && old.height === height ? old : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const arrangement = chooseArrangement(effective, tileCount, sharing);
  const fit = arrangement !== 'speaker' && size ? fitTiles(fittedCount(arrangement, tileCount), size.width, size.height, TILE_GAP, undefined, MIN_TILE_WIDTH) : null;
  if (!fit) return { arrangement, props: { ref, 'data-arrangement': arrangement } };
  const pad = Math.max(0, Math.floor((size!.width - fit.rowWidth) / 2));
  const style = { '--tile-w': `${fit.width}px`, '--tile-h': `${fit.height}px`, paddingInline: `${pad}px` } as CSSProperties;
  const fittedTo = `${Math.round(size!.width)}x${Math.round(size!.height)}`;
  return { arrangement, props: { ref, 'data-arrangement': arrangement, 'data-fit': 'true', 'data-fitted-to': fittedTo, style } };
}
