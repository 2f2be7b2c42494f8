/**
 * Tells the call which simulcast layer of each person's camera this page needs (issue 16): from
 * the layout, the active speaker, whether the tab is visible and which tiles are in view
 * (sfu/layerPolicy.ts decides). In a mesh the session keeps the choice for when the room moves
 * to the SFU.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SfuLayer } from '../signaling/messages';
import { chooseLayers, sameLayers } from '../sfu/layerPolicy';

/** What the hook needs of the call session. */
export interface LayerSink {
  setVideoLayers(layers: ReadonlyMap<string, SfuLayer>): void;
}

function pageHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/** The tiles (by user id) that are out of view, watched with an IntersectionObserver. */
function useOffscreenTiles(ids: string): ReadonlySet<string> {
  const [offscreen, setOffscreen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return undefined;
    const out = new Set<string>();
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.userId;
        if (!id) continue;
        if (entry.isIntersecting) out.delete(id);
        else out.add(id);
      }
      setOffscreen((current) => (current.size === out.size && [...out].every((id) => current.has(id)) ? current : new Set(out)));
    });
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid="tile"][data-user-id]')) observer.observe(tile);
    return () => observer.disconnect();
  }, [ids]);
  return offscreen;
}

/** Chooses the layers and hands them to `sink` whenever the choice changes. */
export function useSfuLayers(sink: LayerSink, remoteIds: readonly string[], large: string | null, activeSpeaker: string | null): void {
  const [hidden, setHidden] = useState(pageHidden);
  useEffect(() => {
    const onChange = () => setHidden(pageHidden());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  const ids = remoteIds.join('\n');
  const offscreen = useOffscreenTiles(ids);
  const layers = useMemo(() => {
    const remote = ids ? ids.split('\n') : [];
    return chooseLayers({ remoteIds: remote, tileCount: remote.length + 1, large, activeSpeaker, hidden, offscreen });
  }, [ids, large, activeSpeaker, hidden, offscreen]);
  const last = useRef<ReadonlyMap<string, SfuLayer> | null>(null);
  useEffect(() => {
    if (last.current && sameLayers(last.current, layers)) return;
    last.current = layers;
    sink.setVideoLayers(layers);
  }, [sink, layers]);
}
