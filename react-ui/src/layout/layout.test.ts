import { describe, expect, it } from 'vitest';
import { decideLayout, LAYOUT_STORAGE_KEY, nextLayout, storedLayout, storeLayout, type LayoutInput } from './layout';

const base: LayoutInput = {
  mode: 'speaker',
  tileIds: ['me', 'ann', 'bo'],
  selfId: 'me',
  activeSpeaker: null,
  lastSpeaker: null,
  pinned: null,
  sharing: false,
};
const decide = (over: Partial<LayoutInput>) => decideLayout({ ...base, ...over });

describe('decideLayout', () => {
  it('grid: nobody large, whoever speaks', () => {
    expect(decide({ mode: 'grid', activeSpeaker: 'bo' })).toEqual({ effective: 'grid', large: null, pinned: null, chosen: 'grid' });
  });

  it('speaker view: the active speaker large', () => {
    expect(decide({ activeSpeaker: 'bo' })).toMatchObject({ effective: 'speaker', large: 'bo' });
  });

  it('speaker view: not ourselves when we speak, but whoever spoke last, else the first other person', () => {
    expect(decide({ activeSpeaker: 'me', lastSpeaker: 'bo' }).large).toBe('bo');
    expect(decide({ activeSpeaker: 'me' }).large).toBe('ann');
    expect(decide({}).large).toBe('ann');
  });

  it('speaker view alone: ourselves large; no tiles at all: nothing', () => {
    expect(decide({ tileIds: ['me'] })).toMatchObject({ effective: 'speaker', large: 'me' });
    expect(decide({ tileIds: [] })).toMatchObject({ effective: 'grid', large: null });
  });

  it('someone who left is neither speaker nor large', () => {
    expect(decide({ activeSpeaker: 'gone', lastSpeaker: 'gone' }).large).toBe('ann');
  });

  it('a pinned tile is large in both layouts, over the active speaker', () => {
    expect(decide({ pinned: 'ann', activeSpeaker: 'bo' })).toEqual({ effective: 'speaker', large: 'ann', pinned: 'ann', chosen: 'speaker' });
    // Pinned in the grid, the menu reads speaker view (what shows).
    expect(decide({ mode: 'grid', pinned: 'bo' })).toEqual({ effective: 'speaker', large: 'bo', pinned: 'bo', chosen: 'speaker' });
    expect(decide({ pinned: 'me', activeSpeaker: 'bo' }).large).toBe('me');
  });

  it('unpinned, the active speaker is large again', () => {
    expect(decide({ pinned: null, activeSpeaker: 'bo' }).large).toBe('bo');
  });

  it('a pin on someone who left is void', () => {
    expect(decide({ pinned: 'gone', activeSpeaker: 'bo' })).toEqual({ effective: 'speaker', large: 'bo', pinned: null, chosen: 'speaker' });
    expect(decide({ mode: 'grid', pinned: 'gone' })).toEqual({ effective: 'grid', large: null, pinned: null, chosen: 'grid' });
  });

  it('a shared screen keeps the stage: no tile is large, the pin is kept for after', () => {
    expect(decide({ sharing: true, activeSpeaker: 'bo', pinned: 'ann' })).toEqual({ effective: 'grid', large: null, pinned: 'ann', chosen: 'speaker' });
  });
});

describe('the remembered layout', () => {
  it('is grid at first, then what was chosen; junk or a refusing storage is grid', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedLayout(storage)).toBe('grid');
    storeLayout(storage, 'speaker');
    expect(store.get(LAYOUT_STORAGE_KEY)).toBe('speaker');
    expect(storedLayout(storage)).toBe('speaker');
    store.set(LAYOUT_STORAGE_KEY, 'mosaic');
    expect(storedLayout(storage)).toBe('grid');
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(storedLayout(refusing)).toBe('grid');
    expect(() => storeLayout(refusing, 'speaker')).not.toThrow();
    expect(storedLayout(null)).toBe('grid');
  });

  it('L goes from one layout to the other', () => {
    expect(nextLayout('grid')).toBe('speaker');
    expect(nextLayout('speaker')).toBe('grid');
  });
});
