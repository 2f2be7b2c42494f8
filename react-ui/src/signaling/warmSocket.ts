/**
 * A WebSocket to the signaling server opened ahead of the Join click (while the pre-join page shows),
 * so that joining does not wait for the TCP and WebSocket handshakes. It sends nothing: the server
 * only learns who we are from the `join` the signaling client sends once it takes the socket. No
 * React in here.
 */
import type { WebSocketFactory, WebSocketLike } from './signalingClient';

const CLOSING = 2;

/** One socket kept open for the next join. */
export class WarmSocket {
  private socket: WebSocketLike | null = null;
  private readonly url: string;
  private readonly create: WebSocketFactory;

  constructor(url: string, create: WebSocketFactory = (u) => new WebSocket(u) as unknown as WebSocketLike) {
    this.url = url;
    this.create = create;
  }

  /** Opens the socket, unless one is open or opening. */
  warm(): void {
    if (this.usable()) return;
    this.socket = null;
    try {
      this.socket = this.create(this.url);
    } catch {
      // No socket ahead of time: the signaling client opens its own.
    }
  }

  /**
   * A factory for the signaling client: the first socket it asks for is the warm one if that is
   * still open or opening (the server may have closed it meanwhile), every other one is new.
   */
  factory(): WebSocketFactory {
    return (url) => {
      const socket = url === this.url && this.usable() ? this.socket : null;
      this.socket = null;
      return socket ?? this.create(url);
    };
  }

  /** Closes the socket if nobody took it. */
  dispose(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'unused');
  }

  private usable(): boolean {
    return this.socket !== null && this.socket.readyState < CLOSING;
  }
}
