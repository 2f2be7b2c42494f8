/**
 * Where each video goes in the recording's canvas: the stage (a shared screen) large on the left
 * with the people in a column beside it, or, while nobody shares, the people in a grid. Pure: the
 * compositor (compositor.ts) draws what this says.
 */

/** A rectangle in canvas pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The places of one frame: the stage's (null while nobody shares) and one per person, in order. */
export interface RecordingLayout {
  stage: Rect | null;
  tiles: Rect[];
}

/** The recording's largest size (the "up to 1280x720"). */
export const RECORDING_WIDTH = 1280;
export const RECORDING_HEIGHT = 720;
/** Space between and around the videos, in pixels. */
export const GAP = 8;
/** The share of the width the people's column takes beside a stage. */
const STRIP_SHARE = 0.2;
const TILE_ASPECT = 16 / 9;

/** The largest `aspect` rectangle inside `area`, centred. */
export function fitInside(aspect: number, area: Rect): Rect {
  if (!(aspect > 0) || area.width <= 0 || area.height <= 0) return { ...area };
  let width = area.width;
  let height = width / aspect;
  if (height > area.height) {
    height = area.height;
    width = height * aspect;
  }
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width: Math.round(width),
    height: Math.round(height),
  };
}

/** The columns and rows of a grid of `count` 16:9 tiles in `area` that makes each tile largest. */
function gridShape(count: number, area: Rect): { columns: number; rows: number } {
  let best = { columns: 1, rows: count, size: -1 };
  for (let columns = 1; columns <= count; columns += 1) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (area.width - GAP * (columns - 1)) / columns;
    const cellHeight = (area.height - GAP * (rows - 1)) / rows;
    const size = Math.min(cellWidth, cellHeight * TILE_ASPECT); // the fitted tile's width
    if (size > best.size) best = { columns, rows, size };
  }
  return best;
}

/** `count` 16:9 tiles in a grid filling `area`, centred, each row's leftovers centred too. */
function grid(count: number, area: Rect): Rect[] {
  if (count <= 0) return [];
  const { columns, rows } = gridShape(count, area);
  const cellWidth = (area.width - GAP * (columns - 1)) / columns;
  const cellHeight = (area.height - GAP * (rows - 1)) / rows;
  const tile = fitInside(TILE_ASPECT, { x: 0, y: 0, width: cellWidth, height: cellHeight });
  const usedHeight = rows * tile.height + (rows - 1) * GAP;
  const top = area.y + (area.height - usedHeight) / 2;
  const rects: Rect[] = [];
  for (let row = 0; row < rows; row += 1) {
    const inRow = Math.min(columns, count - row * columns);
    const usedWidth = inRow * tile.width + (inRow - 1) * GAP;
    const left = area.x + (area.width - usedWidth) / 2;
    for (let column = 0; column < inRow; column += 1) {
      rects.push({
        x: Math.round(left + column * (tile.width + GAP)),
        y: Math.round(top + row * (tile.height + GAP)),
        width: tile.width,
        height: tile.height,
      });
    }
  }
  return rects;
}

/**
 * The layout of a recording frame of `width`x`height` with `people` tiles and, with `stage`, a
 * shared screen: the stage gets all but a column at the right (a fifth of the width), where the
 * people stack; without a stage the people fill the frame in a grid.
 */
export function recordingLayout(people: number, stage: boolean, width = RECORDING_WIDTH, height = RECORDING_HEIGHT): RecordingLayout {
  const frame = { x: GAP, y: GAP, width: width - 2 * GAP, height: height - 2 * GAP };
  if (!stage) return { stage: null, tiles: grid(people, frame) };
  if (people <= 0) return { stage: frame, tiles: [] };
  const stripWidth = Math.round(frame.width * STRIP_SHARE);
  const stageRect = { x: frame.x, y: frame.y, width: frame.width - stripWidth - GAP, height: frame.height };
  const strip = { x: frame.x + stageRect.width + GAP, y: frame.y, width: stripWidth, height: frame.height };
  return { stage: stageRect, tiles: grid(people, strip) };
}
