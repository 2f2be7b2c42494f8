/**
 * An in-memory stand-in for the server's relay, for tests that wire several peer managers together
 * without sockets (like aiortc's in-memory signaling pair). Messages go through one FIFO queue,
 * delivered one per task, so the order is the one a server on ordered WebSockets would give.
 */
import type { ClientMessage, ServerMessage } from '../../signaling/messages';

/** Something that receives server messages (a peer manager). */
export interface HubMember {
  handle(message: ServerMessage): void;
}

/** Routes `offer` / `answer` / `iceCandidate` by `targetId`, stamping `senderId`. */
export class SignalingHub {
  private readonly members = new Map<string, HubMember>();
  private readonly queue: Array<{ to: string; message: ServerMessage }> = [];
  private held = false;
  private scheduled = false;
  /** Every message relayed, in order (for assertions). */
  readonly log: Array<{ from: string; to: string; type: string }> = [];

  /** Adds a member and returns the `send` function it should use. */
  add(userId: string, member: HubMember): void {
    this.members.set(userId, member);
  }

  /** The `send` function for `userId`. */
  sender(userId: string): (message: ClientMessage) => void {
    return (message) => this.relay(userId, message);
  }

  /** Stops delivering (messages queue up) until {@link release}. */
  hold(): void {
    this.held = true;
  }

  /** Delivers what queued up while held, and everything after. */
  release(): void {
    this.held = false;
    this.schedule();
  }

  /** How many messages wait for delivery. */
  get pending(): number {
    return this.queue.length;
  }

  private relay(from: string, message: ClientMessage): void {
    if (message.type !== 'offer' && message.type !== 'answer' && message.type !== 'iceCandidate') return;
    const { targetId, ...rest } = message.payload;
    if (!this.members.has(targetId)) return;
    this.log.push({ from, to: targetId, type: message.type });
    this.queue.push({ to: targetId, message: { type: message.type, payload: { ...rest, senderId: from } } as ServerMessage });
    this.schedule();
  }

  private schedule(): void {
    if (this.held || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      if (this.held) return;
      const next = this.queue.shift();
      if (next) this.members.get(next.to)?.handle(next.message);
      this.schedule();
    }, 0);
  }
}
