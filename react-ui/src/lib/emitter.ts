/** A minimal typed event emitter for the framework-free parts (peer manager, call session). */

/** A map from event name to listener signature. */
export type EventMap = Record<string, (...args: never[]) => void>;

/** Typed `on`/`emit` with unsubscribe functions. */
export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Calls every listener of `event` with `args`. */
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as (...a: Parameters<E[K]>) => void)(...args);
  }
}
