/**
 * The call's layout state: the chosen layout (remembered across visits), the pinned tile, and who
 * spoke last; hands the call page {@link decideLayout}'s answer and the actions that change it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { decideLayout, nextLayout, storedLayout, storeLayout, type LayoutDecision, type LayoutMode } from '../layout/layout';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** What {@link useLayout} returns. */
export interface LayoutState extends LayoutDecision {
  /** The layout the user chose, or speaker view while a tile is pinned (it may show as grid while a screen is shared). */
  mode: LayoutMode;
  setMode: (mode: LayoutMode) => void;
  /** Grid to speaker view and back (the L shortcut). */
  toggleMode: () => void;
  /** Pins `userId`'s tile, or unpins it if it is the pinned one. */
  togglePin: (userId: string) => void;
}

/** The layout of the call whose tiles are `tileIds` (ourselves first). */
export function useLayout(tileIds: readonly string[], selfId: string, activeSpeaker: string | null, sharing: boolean): LayoutState {
  const [mode, setModeState] = useState<LayoutMode>(() => storedLayout(storage()));
  const [pinned, setPinned] = useState<string | null>(null);
  const [lastSpeaker, setLastSpeaker] = useState<string | null>(null);
  useEffect(() => {
    // Speaker view keeps the last person who spoke large while the room is quiet.
    if (activeSpeaker && activeSpeaker !== selfId) setLastSpeaker(activeSpeaker);
  }, [activeSpeaker, selfId]);

  useEffect(() => {
    // Escape leaves full screen also where the browser leaves that to the page: headless Chromium
    // and Qt WebEngine (the desktop app) have no browser UI that takes the key.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const ids = tileIds.join('\n'); // a new array each render; the decision only changes with its content
  const decision = useMemo(
    () => decideLayout({ mode, tileIds: ids.split('\n'), selfId, activeSpeaker, lastSpeaker, pinned, sharing }),
    [mode, ids, selfId, activeSpeaker, lastSpeaker, pinned, sharing],
  );

  const setMode = useCallback((next: LayoutMode) => {
    setModeState(next);
    storeLayout(storage(), next);
    // Grid means everyone the same size: a pin would keep one tile large, so it goes.
    if (next === 'grid') setPinned(null);
  }, []);
  const chosen = decision.chosen;
  const toggleMode = useCallback(() => setMode(nextLayout(chosen)), [setMode, chosen]);
  const togglePin = useCallback((userId: string) => setPinned((current) => (current === userId ? null : userId)), []);
  return { ...decision, mode: chosen, setMode, toggleMode, togglePin };
}
