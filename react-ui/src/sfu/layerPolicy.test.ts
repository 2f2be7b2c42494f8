import { describe, expect, it } from 'vitest';
import { chooseLayers, sameLayers, type LayerInput } from './layerPolicy';

const base: LayerInput = {
  remoteIds: ['ann', 'ben', 'cat', 'dan', 'eve'],
  tileCount: 6,
  large: null,
  activeSpeaker: null,
  hidden: false,
  offscreen: new Set(),
};

const layers = (input: Partial<LayerInput>) => Object.fromEntries(chooseLayers({ ...base, ...input }));

describe('chooseLayers', () => {
  it('gives the small tiles of a large grid the smallest layer', () => {
    expect(layers({})).toEqual({ ann: 'low', ben: 'low', cat: 'low', dan: 'low', eve: 'low' });
  });

  it('gives the large tile and the active speaker the full picture', () => {
    expect(layers({ large: 'ben', activeSpeaker: 'dan' })).toEqual({ ann: 'low', ben: 'high', cat: 'low', dan: 'high', eve: 'low' });
  });

  it('shows a grid of four tiles or fewer at full size', () => {
    expect(layers({ remoteIds: ['ann', 'ben', 'cat'], tileCount: 4 })).toEqual({ ann: 'high', ben: 'high', cat: 'high' });
    // ...but speaker view makes the others small even then.
    expect(layers({ remoteIds: ['ann', 'ben', 'cat'], tileCount: 4, large: 'ann' })).toEqual({ ann: 'high', ben: 'low', cat: 'low' });
  });

  it('pauses the tiles out of view, even the large one or the speaker', () => {
    expect(layers({ offscreen: new Set(['eve', 'dan']), activeSpeaker: 'dan' })).toEqual({ ann: 'low', ben: 'low', cat: 'low', dan: 'paused', eve: 'paused' });
  });

  it('pauses everyone while the tab is hidden', () => {
    expect(new Set(Object.values(layers({ hidden: true, large: 'ann', activeSpeaker: 'ben' })))).toEqual(new Set(['paused']));
  });

  it('asks for nobody when alone', () => {
    expect(chooseLayers({ ...base, remoteIds: [], tileCount: 1 }).size).toBe(0);
  });
});

describe('sameLayers', () => {
  it('compares by content', () => {
    expect(sameLayers(new Map([['a', 'low']]), new Map([['a', 'low']]))).toBe(true);
    expect(sameLayers(new Map([['a', 'low']]), new Map([['a', 'high']]))).toBe(false);
    expect(sameLayers(new Map([['a', 'low']]), new Map())).toBe(false);
  });
});
