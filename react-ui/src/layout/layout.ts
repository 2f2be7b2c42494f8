/**
 * Which tile is large: the layout decision, pure (no DOM, no React), so it is tested on its own.
 *
 * Grid shows everyone the same size. Speaker view shows one tile large: the pinned one, else the
 * active speaker (someone else than us: our own face large is of no use to us), else whoever spoke
 * last, else the first other person, else ourselves. A shared screen keeps the stage (as before
 * layouts existed): no tile is large while someone shares. A pin also makes its tile large in grid
 * view, so "pin" always means "show this one large" (and the chosen layout reads speaker view;
 * choosing grid drops the pin, see useLayout).
 */

/** The two layouts. */
export type LayoutMode = 'grid' | 'speaker';

/** Every layout, in the order the Layout menu lists them. */
export const LAYOUT_MODES: readonly LayoutMode[] = ['grid', 'speaker'];

/** What the decision looks at. */
export interface LayoutInput {
  mode: LayoutMode;
  /** The tiles' user ids, ourselves first, as they are rendered. */
  tileIds: readonly string[];
  selfId: string;
  /** Who speaks now (from activeSpeaker.ts), or null. */
  activeSpeaker: string | null;
  /** Who spoke last (kept when the room goes quiet), or null. */
  lastSpeaker: string | null;
  /** The pinned tile's user id, or null. */
  pinned: string | null;
  /** Someone shares a screen (it is on the stage). */
  sharing: boolean;
}

/** What the decision says. */
export interface LayoutDecision {
  /** The layout in effect: a large tile (`speaker`) or none (`grid`). */
  effective: LayoutMode;
  /** The user id of the large tile, or null when none is. */
  large: string | null;
  /** The pin still names a tile in the call (a pin on someone who left is void). */
  pinned: string | null;
  /** The layout the Layout menu shows as chosen (and L switches from): a pin is speaker view. */
  chosen: LayoutMode;
}

/** Decides which tile (if any) is large. */
export function decideLayout(input: LayoutInput): LayoutDecision {
  const present = (id: string | null): id is string => id !== null && input.tileIds.includes(id);
  const pinned = present(input.pinned) ? input.pinned : null;
  const chosen: LayoutMode = pinned ? 'speaker' : input.mode;
  if (input.sharing) return { effective: 'grid', large: null, pinned, chosen };
  if (pinned) return { effective: 'speaker', large: pinned, pinned, chosen };
  if (input.mode === 'grid') return { effective: 'grid', large: null, pinned, chosen };
  const other = (id: string | null): id is string => present(id) && id !== input.selfId;
  const large =
    [input.activeSpeaker, input.lastSpeaker].find(other) ??
    input.tileIds.find((id) => id !== input.selfId) ??
    input.tileIds[0] ??
    null;
  return { effective: large ? 'speaker' : 'grid', large, pinned, chosen };
}

/** The other layout (the L shortcut). */
export function nextLayout(mode: LayoutMode): LayoutMode {
  return mode === 'grid' ? 'speaker' : 'grid';
}

/** Where the chosen layout is remembered. */
export const LAYOUT_STORAGE_KEY = 'parley.layout';

/** The layout chosen on an earlier visit, else grid. */
export function storedLayout(storage: Pick<Storage, 'getItem'> | null): LayoutMode {
  try {
    const value = storage?.getItem(LAYOUT_STORAGE_KEY);
    return value === 'speaker' ? 'speaker' : 'grid';
  } catch {
    return 'grid'; // storage refused (private mode)
  }
}

/** Remembers the chosen layout for the next visit. */
export function storeLayout(storage: Pick<Storage, 'setItem'> | null, mode: LayoutMode): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_KEY, mode);
  } catch {
    // storage refused: the choice lasts for this page only
  }
}
