/**
 * Whether the room's media server is missing (issue 16): the server says `error{sfuUnavailable}`
 * after we joined when the media server carrying the room died and no other could take it (or our
 * SFU media could not start), and `sfuRestart` once the room is on a media server again. The call
 * page shows a notice while it is missing. No React, no I/O.
 */
import type { ServerMessage } from '../signaling/messages';

/** What the notice reads. */
export interface SfuStatusState {
  /** The media server is unavailable: video and sound through it stopped or cannot start. */
  unavailable: boolean;
}

/** Follows the server's messages about the media server. */
export class SfuStatus {
  state: SfuStatusState = { unavailable: false };
  private readonly listeners = new Set<() => void>();
  private joined = false;

  /** A server message (all of them; it reads `joined`, `error{sfuUnavailable}` and `sfuRestart`). */
  handle(message: ServerMessage): void {
    if (message.type === 'joined') this.joined = true;
    else if (message.type === 'error' && message.payload.code === 'sfuUnavailable' && this.joined) this.set(true);
    else if (message.type === 'sfuRestart') this.set(false);
  }

  /** The person closed the notice. */
  dismiss(): void {
    this.set(false);
  }

  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(unavailable: boolean): void {
    if (this.state.unavailable === unavailable) return;
    this.state = { unavailable };
    for (const listener of this.listeners) listener();
  }
}
