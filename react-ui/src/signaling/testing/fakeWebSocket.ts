/** A fake WebSocket for tests: records what the client sends and lets the test play the server. */
import type { ClientMessage, ServerMessage } from '../messages';
import type { WebSocketLike } from '../signalingClient';

/** Implements the part of `WebSocket` the signaling client uses; never touches the network. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Everything the client sent, parsed. */
  sent: ClientMessage[] = [];
  /** The code the client closed with, if it did. */
  closedWith: number | undefined;
  /** Called for each message the client sends (a fake server hooks in here). */
  onClientMessage: ((message: ClientMessage) => void) | null = null;
  /** Called when the client closes the socket. */
  onClientClose: ((code: number) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: the socket is not open');
    const message = JSON.parse(data) as ClientMessage;
    this.sent.push(message);
    this.onClientMessage?.(message);
  }

  close(code?: number): void {
    if (this.readyState === 3) return;
    this.closedWith = code ?? 1005;
    this.readyState = 3;
    this.onClientClose?.(this.closedWith);
  }

  /** The server accepts the connection. */
  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends a message. */
  serverSend(message: ServerMessage): void {
    if (this.readyState !== 1) return;
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The connection ends from the server's side (or the network drops: code 1006). */
  serverClose(code: number, reason = ''): void {
    if (this.readyState === 3 && this.closedWith !== undefined) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}
