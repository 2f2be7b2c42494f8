/**
 * Drawing one frame of the recording into a 2D context, the same on the main thread (an HTML canvas,
 * compositor.ts) and in the compositor worker (an OffscreenCanvas, compositorWorker.ts): the stage
 * and the tiles where layout.ts says, each tile's video or its name's initial, and the names. The
 * frame's content is a {@link PaintScene}, which a worker can receive (no streams in it).
 */
import { fitInside, recordingLayout, type Rect } from './layout';

const BACKGROUND = '#0f1115';
const TILE_BACKGROUND = '#232733';
const NAME_FONT = '600 18px system-ui, sans-serif';

/** A context either canvas gives. */
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** A picture to draw (a video element's current frame, or a VideoFrame) and its size. */
export interface Picture {
  image: CanvasImageSource;
  width: number;
  height: number;
}

/** One tile: its name and the id of its video track (null: camera off, the initial shows). */
export interface PaintTile {
  name: string;
  source: string | null;
}

/** What one frame shows, by video track id. */
export interface PaintScene {
  stage: string | null;
  tiles: PaintTile[];
}

/** Draws `scene` into `ctx` (`width`x`height`); `picture(source)` is that video's latest frame, if any. */
export function paint(ctx: Context2D, width: number, height: number, scene: PaintScene, picture: (source: string) => Picture | null): void {
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  const layout = recordingLayout(scene.tiles.length, scene.stage !== null, width, height);
  if (layout.stage && scene.stage) {
    ctx.fillStyle = '#000';
    fill(ctx, layout.stage);
    const stage = picture(scene.stage);
    if (stage) drawPicture(ctx, stage, layout.stage, 'contain');
  }
  scene.tiles.forEach((tile, i) => {
    const rect = layout.tiles[i];
    if (!rect) return;
    ctx.fillStyle = TILE_BACKGROUND;
    fill(ctx, rect);
    const video = tile.source === null ? null : picture(tile.source);
    if (video) drawPicture(ctx, video, rect, 'cover');
    else if (tile.source === null) drawInitial(ctx, tile.name, rect);
    drawName(ctx, tile.name, rect);
  });
}

function drawPicture(ctx: Context2D, picture: Picture, rect: Rect, fit: 'contain' | 'cover'): void {
  const { image, width, height } = picture;
  if (!width || !height) return;
  const aspect = width / height;
  if (fit === 'contain') {
    const at = fitInside(aspect, rect);
    ctx.drawImage(image, at.x, at.y, at.width, at.height);
    return;
  }
  // Cover, as the tiles on screen do: the middle of the picture, cut to the tile's shape.
  const target = rect.width / rect.height;
  let sw = width;
  let sh = height;
  if (aspect > target) sw = sh * target;
  else sh = sw / target;
  ctx.drawImage(image, (width - sw) / 2, (height - sh) / 2, sw, sh, rect.x, rect.y, rect.width, rect.height);
}

function fill(ctx: Context2D, rect: Rect): void {
  ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
}

function drawInitial(ctx: Context2D, name: string, rect: Rect): void {
  const size = Math.max(12, Math.round(Math.min(rect.width, rect.height) / 3));
  ctx.fillStyle = '#9aa3b5';
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(([...name.trim()][0] ?? '?').toUpperCase(), rect.x + rect.width / 2, rect.y + rect.height / 2);
}

function drawName(ctx: Context2D, name: string, rect: Rect): void {
  ctx.font = NAME_FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const padding = 6;
  const maxWidth = Math.max(0, rect.width - 4 * padding);
  const width = Math.min(maxWidth, ctx.measureText(name).width);
  const height = 26;
  const x = rect.x + padding;
  const y = rect.y + rect.height - height - padding;
  if (rect.height < height + 2 * padding) return;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x, y, width + 2 * padding, height);
  ctx.fillStyle = '#fff';
  ctx.fillText(name, x + padding, y + height / 2, maxWidth);
}
