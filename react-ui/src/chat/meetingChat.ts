/**
 * The chat, raised hands and reactions of one call, framework-free: reads the signaling
 * connection's messages into {@link ChatState} (chatState.ts), sends `chat`, `hand` and `reaction`,
 * and fades each reaction after {@link REACTION_MS}. The UI subscribes (`useMeetingChat`).
 */
import { Emitter } from '../lib/emitter';
import { MAX_CHAT_TEXT, type ClientMessage, type ServerMessage } from '../signaling/messages';
import type { SignalingClient } from '../signaling/signalingClient';
import { chatReducer, initialChatState, type ChatAction, type ChatState, type Reaction } from './chatState';

/** How long a reaction floats over its sender's tile, in ms. */
export const REACTION_MS = 4000;

/** What this module sends. */
export type ChatClientMessage = Extract<ClientMessage, { type: 'chat' | 'hand' | 'reaction' }>;

/** The part of the signaling client this module uses (tests pass a fake). */
export interface ChatSignaling {
  on(event: 'message', listener: (message: ServerMessage) => void): () => void;
  send(message: ChatClientMessage): boolean;
}

/** The call's signaling client as this module sees it. */
export function chatSignaling(client: SignalingClient): ChatSignaling {
  return {
    on: (event, listener) => client.on(event, listener),
    send: (message) => client.send(message),
  };
}

type Events = { change: (state: ChatState) => void };

/** One call's chat, hands and reactions. */
export class MeetingChat {
  private current: ChatState;
  private readonly events = new Emitter<Events>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    selfId: string,
    private readonly signaling: ChatSignaling,
    private readonly reactionMs = REACTION_MS,
  ) {
    this.current = initialChatState(selfId);
    this.unsubscribe = signaling.on('message', (message) => this.dispatch(message));
  }

  /** The current state (a new object after every change). */
  get state(): ChatState {
    return this.current;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe(listener: (state: ChatState) => void): () => void {
    return this.events.on('change', listener);
  }

  /**
   * Sends `text` to everyone, or privately to `targetId`; false if nothing was sent (blank, or
   * longer than the server takes: then the state says invalidPayload and the draft can stay).
   */
  send(text: string, targetId?: string): boolean {
    const trimmed = text.trim();
    if (!trimmed) return false;
    // Counted in code points, as the server (Python's len) counts: an emoji is one, not two.
    if ([...trimmed].length > MAX_CHAT_TEXT) {
      this.dispatch({ type: 'refusedLocally', payload: { code: 'invalidPayload' } });
      return false;
    }
    const payload = targetId ? { text: trimmed, targetId } : { text: trimmed };
    return this.sendAndWait({ type: 'chat', payload }, 'chat');
  }

  /** Raises or lowers our hand (the server's `hand` echo changes the state). */
  setHand(raised: boolean): void {
    this.sendAndWait({ type: 'hand', payload: { raised } }, 'hand');
  }

  /** Raises our hand if it is down, else lowers it. */
  toggleHand(): void {
    this.setHand(!(this.current.selfId in this.current.hands));
  }

  /** Sends a reaction to everyone (it floats over our tile when the server echoes it). */
  react(emoji: Reaction): void {
    this.sendAndWait({ type: 'reaction', payload: { emoji } }, 'reaction');
  }

  /** Opens or closes the chat panel (opening reads everything). */
  setOpen(open: boolean): void {
    this.dispatch({ type: 'setOpen', payload: { open } });
  }

  /** Opens the panel if closed, else closes it. */
  toggleOpen(): void {
    this.setOpen(!this.current.open);
  }

  /** Hides the last refusal. */
  dismissError(): void {
    this.dispatch({ type: 'dismissError', payload: {} });
  }

  /** Stops listening and fading (the call ended). */
  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private sendAndWait(message: ChatClientMessage, kind: 'chat' | 'hand' | 'reaction'): boolean {
    if (this.disposed || !this.signaling.send(message)) return false;
    this.dispatch({ type: 'sent', payload: { kind } });
    return true;
  }

  private dispatch(action: ChatAction): void {
    if (this.disposed) return;
    const before = this.current;
    this.current = chatReducer(before, action);
    if (action.type === 'reaction') {
      const key = before.nextKey;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.dispatch({ type: 'reactionFaded', payload: { key } });
      }, this.reactionMs);
      this.timers.add(timer);
    }
    if (this.current !== before) this.events.emit('change', this.current);
  }
}
