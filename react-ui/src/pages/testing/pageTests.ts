/** What the page tests share: `fetch` answered by the test, and a clean page between tests. */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

/** A `fetch` stub that answers every request with `status` and the JSON `body`. */
export function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

/** Each test of the calling file starts at `/` with empty storage and leaves no page or stub behind. */
export function isolatePageTests(): void {
  beforeEach(() => {
    window.localStorage.clear();
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
}
