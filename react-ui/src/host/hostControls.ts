/**
 * One call's host controls, framework-free: follows the signaling connection's messages into a
 * {@link HostState} (hostState.ts) and sends what a host asks (`roomSettings`, `admit`, `deny`,
 * `removeUser`, `muteRequest`, `lowerHand`, `setRole`, `endMeeting`). The server refuses a guest's
 * every one of them; the UI only offers them to hosts. The UI subscribes (`useHostControls`).
 */
import { Emitter } from '../lib/emitter';
import type { ClientMessage, ServerMessage } from '../signaling/messages';
import { hostReducer, initialHostState, type HostAction, type HostState, type Role } from './hostState';

/** What this module sends. */
export type HostClientMessage = Extract<
  ClientMessage,
  { type: 'roomSettings' | 'admit' | 'deny' | 'removeUser' | 'muteRequest' | 'lowerHand' | 'setRole' | 'endMeeting' }
>;

/** The part of the signaling client this module uses (tests pass a fake). */
export interface HostSignaling {
  on(event: 'message', listener: (message: ServerMessage) => void): () => void;
  send(message: HostClientMessage): boolean;
}

type Events = { change: (state: HostState) => void };

/** One call's host controls and admission state. */
export class HostControls {
  private current: HostState;
  private readonly events = new Emitter<Events>();
  private readonly unsubscribe: () => void;

  /** `onMuteRequest`: a host asked us to mute (the session mutes the microphone and says so). */
  constructor(
    selfId: string,
    private readonly signaling: HostSignaling,
    private readonly onMuteRequest: () => void = () => undefined,
  ) {
    this.current = initialHostState(selfId);
    this.unsubscribe = signaling.on('message', (message) => {
      this.dispatch(message);
      if (message.type === 'muteRequest') this.onMuteRequest();
    });
  }

  /** The current state (a new object after every change). */
  get state(): HostState {
    return this.current;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe(listener: (state: HostState) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Turns the lobby on or off. */
  setLobby(lobby: boolean): void {
    this.signaling.send({ type: 'roomSettings', payload: { lobby } });
  }

  /** Locks or unlocks the meeting. */
  setLocked(locked: boolean): void {
    this.signaling.send({ type: 'roomSettings', payload: { locked } });
  }

  /** Sets the meeting's password (1–128 characters), or removes it with null. */
  setPassword(password: string | null): void {
    this.signaling.send({ type: 'roomSettings', payload: { password } });
  }

  /** Lets waiting people in. */
  admit(...userIds: string[]): void {
    for (const userId of userIds) this.signaling.send({ type: 'admit', payload: { userId } });
    this.dispatch({ type: 'answered', userIds });
  }

  /** Turns a waiting person away. */
  deny(userId: string): void {
    this.signaling.send({ type: 'deny', payload: { userId } });
    this.dispatch({ type: 'answered', userIds: [userId] });
  }

  /** Removes someone from the meeting. */
  remove(targetId: string): void {
    this.signaling.send({ type: 'removeUser', payload: { targetId } });
  }

  /** Asks one person to mute, or every guest without `targetId`. */
  askToMute(targetId?: string): void {
    this.signaling.send({ type: 'muteRequest', payload: targetId ? { targetId } : {} });
  }

  /** Lowers someone's raised hand. */
  lowerHand(targetId: string): void {
    this.signaling.send({ type: 'lowerHand', payload: { targetId } });
  }

  /** Makes someone host or guest. */
  setRole(targetId: string, role: Role): void {
    this.signaling.send({ type: 'setRole', payload: { targetId, role } });
  }

  /** Ends the meeting for everyone. */
  endMeeting(): void {
    this.signaling.send({ type: 'endMeeting', payload: {} });
  }

  /** Closes the "you were muted" notice. */
  dismissMuted(): void {
    this.dispatch({ type: 'dismissMuted' });
  }

  /** Stops listening (the call ended). */
  dispose(): void {
    this.unsubscribe();
  }

  private dispatch(message: ServerMessage | HostAction): void {
    const next = hostReducer(this.current, message);
    if (next === this.current) return;
    this.current = next;
    this.events.emit('change', next);
  }
}
