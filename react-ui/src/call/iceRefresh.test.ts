import { describe, expect, it } from 'vitest';
import { iceRefreshDelay } from './iceRefresh';

describe('iceRefreshDelay', () => {
  const now = 1_800_000_000_000;
  const turn = (expirySeconds: number) => ({ urls: 'turn:t:3478', username: `${expirySeconds}:alice`, credential: 'c' });

  it('asks again at half the remaining life of the soonest credentials', () => {
    const servers = [{ urls: 'stun:s:3478' }, turn(now / 1000 + 12 * 3600), turn(now / 1000 + 3600)];
    expect(iceRefreshDelay(servers, now, 60_000)).toBe(1800_000);
  });

  it('never sooner than the minimum, even for credentials that already expired', () => {
    expect(iceRefreshDelay([turn(now / 1000 + 10)], now, 60_000)).toBe(60_000);
    expect(iceRefreshDelay([turn(now / 1000 - 10)], now, 60_000)).toBe(60_000);
  });

  it('does not ask when nothing expires', () => {
    expect(iceRefreshDelay([], now, 60_000)).toBeNull();
    expect(iceRefreshDelay([{ urls: 'stun:s:3478' }, { urls: 'turn:t', username: 'static', credential: 'x' }], now, 60_000)).toBeNull();
  });
});
