/**
 * The queue of short notices ("toasts") shown over the call: pure state, no timers and no DOM
 * (useToastQueue.ts runs the clock, Toasts.tsx draws them). A toast is an i18n key of the `feedback`
 * namespace with its values, so it follows a change of language while it shows.
 */

/** What a toast says. */
export interface ToastMessage {
  /** The text's key in the `feedback` namespace. */
  message: string;
  /** Values for the text (`{{name}}`). */
  params?: Readonly<Record<string, string>>;
  /** A toast of the same kind replaces the one showing (a second "Link copied" restarts it). */
  kind?: string;
}

/** A toast on screen, until `until` (ms, the clock the caller uses). */
export interface Toast extends ToastMessage {
  id: number;
  until: number;
}

/** The toasts showing, oldest first. */
export interface ToastQueue {
  toasts: readonly Toast[];
  nextId: number;
}

/** How long a toast shows, in ms: long enough to read two short lines. */
export const TOAST_MS = 5000;

/** At most this many at once: when ten people join together, the oldest notices give way. */
export const MAX_TOASTS = 3;

/** An empty queue. */
export const EMPTY_QUEUE: ToastQueue = { toasts: [], nextId: 1 };

/** Adds `message` at time `now`, replacing a toast of the same kind and dropping the oldest beyond {@link MAX_TOASTS}. */
export function pushToast(queue: ToastQueue, message: ToastMessage, now: number, ms = TOAST_MS): ToastQueue {
  const kept = message.kind ? queue.toasts.filter((toast) => toast.kind !== message.kind) : queue.toasts;
  const toast: Toast = { ...message, id: queue.nextId, until: now + ms };
  return { toasts: [...kept, toast].slice(-MAX_TOASTS), nextId: queue.nextId + 1 };
}

/** Removes the toasts whose time is up at `now` (the same queue when none is). */
export function expireToasts(queue: ToastQueue, now: number): ToastQueue {
  const kept = queue.toasts.filter((toast) => toast.until > now);
  return kept.length === queue.toasts.length ? queue : { ...queue, toasts: kept };
}

/** When the next toast's time is up, or null when none shows. */
export function nextExpiry(queue: ToastQueue): number | null {
  return queue.toasts.length ? Math.min(...queue.toasts.map((toast) => toast.until)) : null;
}
