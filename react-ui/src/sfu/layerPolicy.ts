/**
 * Which simulcast layer of each person's camera this page needs in an SFU room (issue 16,
 * docs/protocol.md "SFU rooms"), from the layout and what the page shows. Pure: no DOM, no React.
 *
 * - the tab is hidden: nothing plays, every camera is paused (audio goes on);
 * - a tile off screen (scrolled away in a large room): paused;
 * - the large tile, or the active speaker (whose tile is watched): the full picture;
 * - a grid of four tiles or fewer: each is a quarter of the window or more, so the full picture;
 * - any other small tile: the smallest layer.
 */
import type { SfuLayer } from '../signaling/messages';

/** The tiles a grid may hold and still show each at full size. */
export const FULL_SIZE_GRID = 4;

/** What the decision looks at. */
export interface LayerInput {
  /** The other people whose tiles the page renders. */
  remoteIds: readonly string[];
  /** How many tiles the page shows (ourselves included). */
  tileCount: number;
  /** The large tile's user id (pinned or speaker view), or null in a grid. */
  large: string | null;
  /** Who speaks now, or null. */
  activeSpeaker: string | null;
  /** The page is hidden (another tab, minimised). */
  hidden: boolean;
  /** Tiles that are not in view. */
  offscreen: ReadonlySet<string>;
}

/** The layer of each person's camera. */
export function chooseLayers(input: LayerInput): Map<string, SfuLayer> {
  const layers = new Map<string, SfuLayer>();
  const smallGrid = input.large === null && input.tileCount <= FULL_SIZE_GRID;
  for (const id of input.remoteIds) {
    if (input.hidden || input.offscreen.has(id)) layers.set(id, 'paused');
    else if (id === input.large || id === input.activeSpeaker || smallGrid) layers.set(id, 'high');
    else layers.set(id, 'low');
  }
  return layers;
}

/** Whether two choices are the same (so a render that changed nothing sends nothing). */
export function sameLayers(a: ReadonlyMap<string, SfuLayer>, b: ReadonlyMap<string, SfuLayer>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, layer] of a) if (b.get(id) !== layer) return false;
  return true;
}
