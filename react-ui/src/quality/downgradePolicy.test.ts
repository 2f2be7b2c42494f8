import { describe, expect, it } from 'vitest';
import { DowngradePolicy, GOOD_MS } from './downgradePolicy';

describe('DowngradePolicy', () => {
  it('lowers only the connection poor for more than 10 s, then restores it after a good while', () => {
    const p = new DowngradePolicy();
    for (let t = 0; t <= 10_000; t += 2000) {
      expect(p.observe('ann', 'poor', t)).toBeNull();
      expect(p.observe('bob', 'good', t)).toBeNull();
    }
    expect(p.observe('ann', 'poor', 12_000)).toBe('lower');
    expect(p.observe('bob', 'good', 12_000)).toBeNull();
    expect(p.isLowered('ann')).toBe(true);
    expect(p.isLowered('bob')).toBe(false);
    expect(p.observe('ann', 'poor', 14_000)).toBeNull();
    expect(p.observe('ann', 'good', 16_000)).toBeNull();
    expect(p.observe('ann', 'good', 16_000 + GOOD_MS - 1)).toBeNull();
    expect(p.observe('ann', 'good', 16_000 + GOOD_MS)).toBe('restore');
    expect(p.isLowered('ann')).toBe(false);
  });

  it('restarts the 10 s when the connection recovers in between', () => {
    const p = new DowngradePolicy();
    p.observe('ann', 'poor', 0);
    p.observe('ann', 'fair', 8000);
    expect(p.observe('ann', 'poor', 9000)).toBeNull();
    expect(p.observe('ann', 'poor', 19_000)).toBeNull();
    expect(p.observe('ann', 'poor', 19_001)).toBe('lower');
  });

  it('does not restore on fair', () => {
    const p = new DowngradePolicy();
    p.observe('ann', 'poor', 0);
    p.observe('ann', 'poor', 11_000);
    p.observe('ann', 'fair', 12_000);
    expect(p.observe('ann', 'fair', 60_000)).toBeNull();
    expect(p.isLowered('ann')).toBe(true);
  });
});
