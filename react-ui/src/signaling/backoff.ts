/**
 * Reconnect delays: exponential backoff with jitter.
 *
 * Pure so the schedule can be tested without timers.
 */

/** How the reconnect delay grows. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound of a delay, in ms (kept below the server's 10 s grace period). */
  maxMs: number;
  /** Growth factor per failed attempt. */
  factor: number;
}

/** The defaults: 0.5 s, 1 s, 2 s, 4 s, then 8 s, each with jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 8000, factor: 2 };

/**
 * The delay before retry number `attempt` (0 for the first retry).
 *
 * "Equal jitter": half the exponential delay is fixed and half is random, so clients that lost the
 * server at the same moment do not all come back in the same millisecond, yet none retries at once.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.initialMs * options.factor ** attempt);
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
