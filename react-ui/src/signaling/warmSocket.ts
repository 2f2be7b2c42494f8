/**
 * A WebSocket to the signaling server opened ahead of the Join click (while the pre-join page shows),
 * so that joining does not wait for the TCP and WebSocket handshakes. It sends nothing: the server
 * only learns who we are from the `join` the signaling client sends once it takes the socket. The
 * server closes a socket that has not joined within its join time limit (10 s by default), and people
 * often stay longer on the pre-join page (typing a name, choosing a camera): then a new one replaces
 * it, for a while. No React in here.
 */
import type { WebSocketFactory, WebSocketLike } from './signalingClient';

const CLOSING = 2;

/** How many times a warm socket the server closed is replaced: about five minutes of a pre-join page. */
export const MAX_REWARMS = 30;

/** One socket kept open for the next join. */
export class WarmSocket {
  private socket: WebSocketLike | null = null;
  private readonly url: string;
  private readonly create: WebSocketFactory;
  private readonly maxRewarms: number;
  private rewarms = 0;

  constructor(
    url: string,
    create: WebSocketFactory = (u) => new WebSocket(u) as unknown as WebSocketLike,
    maxRewarms = MAX_REWARMS,
  ) {
    this.url = url;
    this.create = create;
    this.maxRewarms = maxRewarms;
  }

  /** Opens the socket, unless one is open or opening. */
  warm(): void {
    if (this.usable()) return;
    this.socket = null;
    let socket: WebSocketLike;
    try {
      socket = this.create(this.url);
    } catch {
      // No socket ahead of time: the signaling client opens its own.
      return;
    }
    this.socket = socket;
    // The signaling client sets its own handlers when it takes the socket; until then a socket
    // that was open and is closed (the server's join time limit) is replaced. One that never
    // opened (no server) is not: the signaling client will retry with backoff.
    let opened = false;
    socket.onopen = () => {
      opened = true;
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (opened && this.rewarms < this.maxRewarms) {
        this.rewarms += 1;
        this.warm();
      }
    };
  }

  /**
   * A factory for the signaling client: the first socket it asks for is the warm one if that is
   * still open or opening (the server may have closed it meanwhile), every other one is new.
   */
  factory(): WebSocketFactory {
    return (url) => {
      const socket = url === this.url && this.usable() ? this.socket : null;
      this.socket = null;
      if (socket) socket.onclose = null;
      return socket ?? this.create(url);
    };
  }

  /** Closes the socket if nobody took it. */
  dispose(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.onclose = null;
    socket?.close(1000, 'unused');
  }

  private usable(): boolean {
    return this.socket !== null && this.socket.readyState < CLOSING;
  }
}
