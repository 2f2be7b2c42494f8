import { describe, expect, it } from 'vitest';
import { EMPTY_QUEUE, expireToasts, MAX_TOASTS, nextExpiry, pushToast, TOAST_MS } from './toastQueue';

describe('toast queue', () => {
  it('shows a toast for TOAST_MS, then takes it away', () => {
    const queue = pushToast(EMPTY_QUEUE, { message: 'joined', params: { name: 'Ann' } }, 1000);
    expect(queue.toasts.map((t) => t.message)).toEqual(['joined']);
    expect(nextExpiry(queue)).toBe(1000 + TOAST_MS);
    expect(expireToasts(queue, 1000 + TOAST_MS - 1)).toBe(queue);
    expect(expireToasts(queue, 1000 + TOAST_MS).toasts).toEqual([]);
    expect(nextExpiry(EMPTY_QUEUE)).toBeNull();
  });

  it('replaces a toast of the same kind, restarting its time', () => {
    let queue = pushToast(EMPTY_QUEUE, { message: 'linkCopied', kind: 'linkCopied' }, 0);
    queue = pushToast(queue, { message: 'joined', params: { name: 'Ann' } }, 100);
    queue = pushToast(queue, { message: 'linkCopied', kind: 'linkCopied' }, 2000);
    expect(queue.toasts.map((t) => [t.message, t.until])).toEqual([
      ['joined', 100 + TOAST_MS],
      ['linkCopied', 2000 + TOAST_MS],
    ]);
    expect(new Set(queue.toasts.map((t) => t.id)).size).toBe(2);
  });

  it('keeps the newest few when many come at once', () => {
    let queue = EMPTY_QUEUE;
    for (const name of ['A', 'B', 'C', 'D', 'E']) queue = pushToast(queue, { message: 'joined', params: { name } }, 0);
    expect(queue.toasts.map((t) => t.params?.name)).toEqual(['C', 'D', 'E'].slice(-MAX_TOASTS));
  });
});
