import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AfterConnect, connectionsUp } from './afterConnect';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AfterConnect', () => {
  it('counts the connections as up only when there is one and every one is connected', () => {
    expect(connectionsUp([])).toBe(false);
    expect(connectionsUp(['connected', 'connecting'])).toBe(false);
    expect(connectionsUp(['connected', 'new'])).toBe(false);
    expect(connectionsUp(['connected', 'connected'])).toBe(true);
  });

  it('begins once every link is connected after the join, and only once', () => {
    const begin = vi.fn();
    const gate = new AfterConnect(begin, 3000);
    gate.statesChanged(['connected']); // before `joined`: a link kept from before a rejoin
    expect(begin).not.toHaveBeenCalled();
    gate.joined();
    gate.statesChanged(['connected', 'connecting']);
    expect(begin).not.toHaveBeenCalled();
    gate.statesChanged(['connected', 'connected']);
    expect(begin).toHaveBeenCalledTimes(1);
    gate.statesChanged(['connected', 'connected']);
    gate.joined();
    vi.advanceTimersByTime(10_000);
    expect(begin).toHaveBeenCalledTimes(1);
  });

  it('begins after the fallback when alone or when a link never connects; never after dispose', () => {
    const alone = vi.fn();
    new AfterConnect(alone, 3000).joined();
    vi.advanceTimersByTime(2999);
    expect(alone).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(alone).toHaveBeenCalledTimes(1);

    const ended = vi.fn();
    const gate = new AfterConnect(ended, 3000);
    gate.joined();
    gate.dispose();
    gate.statesChanged(['connected']);
    vi.advanceTimersByTime(10_000);
    expect(ended).not.toHaveBeenCalled();
  });
});
