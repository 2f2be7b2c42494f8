/**
 * The signaling connection: a WebSocket to the server's `/ws` that joins a room, keeps the latest
 * `resumeToken`, and after a drop reconnects with backoff and joins again with that token so that
 * the rest of the room does not see us leave (docs/protocol.md, "Leaving, dropped connections and
 * reconnecting"). No React in here: the UI subscribes to its events.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import {
  CloseCode,
  decodeMessage,
  encodeMessage,
  NO_RECONNECT_CODES,
  type ClientMessage,
  type ServerMessage,
  type ServerPayloads,
} from './messages';

/** The part of the browser's `WebSocket` that the client uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket to `url`. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** Where the connection stands, as the UI shows it. */
export type SignalingStatus =
  /** First connection attempt, before the first `joined`. */
  | 'connecting'
  /** In the room. */
  | 'joined'
  /** The socket dropped; retrying with backoff (the UI shows "Reconnecting…"). */
  | 'reconnecting'
  /** Ended for good: by `close()`, by a close code that forbids reconnecting, or a refused join. */
  | 'closed';

/** Why the client stopped for good (only with status `closed`). */
export interface ClosedReason {
  /**
   * `left`: we closed it; `replaced`: 4001; `policy`: 1008; `refused`: the server refused the join;
   * `removed`: a host removed us or turned us away from the lobby (4003); `ended`: a host ended the meeting (4004).
   */
  kind: 'left' | 'replaced' | 'policy' | 'refused' | 'removed' | 'ended';
  /** The server's error code for `refused` (`roomNotFound`, `roomFull`, ...). */
  errorCode?: string;
  message?: string;
}

/** What a `join` carries besides the ids; asked for on every (re)join so it is always current. */
export interface JoinFields {
  displayName?: string;
  audioMuted?: boolean;
  videoMuted?: boolean;
  /** This browser's host token for the room (issue 14): the server makes us host. */
  hostToken?: string;
  /** The meeting's password, when it has one. */
  password?: string;
}

/** Settings of a {@link SignalingClient}. */
export interface SignalingClientOptions {
  url: string;
  roomId: string;
  userId: string;
  /** Called before each `join` (first and resumed) for the current name and mute state. */
  joinFields: () => JoinFields;
  /** Defaults to the browser's `WebSocket`. */
  createSocket?: WebSocketFactory;
  backoff?: BackoffOptions;
  random?: () => number;
  /** A socket that has not opened after this many ms is abandoned and retried. */
  connectTimeoutMs?: number;
  /** At most this many messages are kept while the socket is down. */
  maxQueued?: number;
}

type Listeners = {
  message: (message: ServerMessage) => void;
  status: (status: SignalingStatus, reason?: ClosedReason) => void;
};

const OPEN = 1;
/**
 * What is kept while the socket is down: the peer-to-peer relay. `mediaState` is not, because the
 * `join` carries the mute state; nor are screen-share claims, which the `joined` snapshot reconciles
 * (see screenShareMachine.ts).
 */
const QUEUED_TYPES: ReadonlySet<string> = new Set(['offer', 'answer', 'iceCandidate']);
/**
 * Errors that answer a `join` and end the attempt (also while the lobby holds us: `admissionDenied`;
 * `rateLimited` there means too many password guesses, the only thing sent before `joined`).
 */
const JOIN_REFUSALS = new Set([
  'roomNotFound',
  'roomFull',
  'userIdTaken',
  'invalidPayload',
  'roomLocked',
  'passwordRequired',
  'wrongPassword',
  'admissionDenied',
  'rateLimited',
  'sfuUnavailable', // issue 16: the join needs the media server and none answers
]);
/** A host removed us or denied us entry (issue 14): never reconnect. */
const CLOSE_REMOVED = 4003;
/** A host ended the meeting: never reconnect. */
const CLOSE_ENDED = 4004;

/**
 * A signaling connection to one room.
 *
 * Offers, answers and ICE candidates sent while the socket is down are queued and go out after the
 * next `joined`; other messages are dropped (the `join` and its `joined` reconcile them).
 */
export class SignalingClient {
  private readonly options: Required<Omit<SignalingClientOptions, 'joinFields'>> &
    Pick<SignalingClientOptions, 'joinFields'>;
  private socket: WebSocketLike | null = null;
  private statusValue: SignalingStatus = 'connecting';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private joinedOnce = false;
  private awaitingJoined = false;
  private stopped = false;
  private token: string | null = null;
  private queue: ClientMessage[] = [];
  private readonly listeners: { [K in keyof Listeners]: Set<Listeners[K]> } = {
    message: new Set(),
    status: new Set(),
  };

  constructor(options: SignalingClientOptions) {
    // `??` rather than a spread of defaults: an option passed as undefined means "the default".
    this.options = {
      ...options,
      createSocket: options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      maxQueued: options.maxQueued ?? 500,
    };
  }

  /** The current status. */
  get status(): SignalingStatus {
    return this.statusValue;
  }

  /** The latest `resumeToken` the server gave us, or null before the first `joined`. */
  get resumeToken(): string | null {
    return this.token;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof Listeners>(event: K, listener: Listeners[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /** Opens the socket and joins the room. */
  connect(): void {
    if (this.socket || this.stopped) return;
    this.open();
  }

  /**
   * Sends a message, or queues it until the next `joined` if the socket is not in the room now.
   * Returns whether it went out at once.
   */
  send(message: ClientMessage): boolean {
    if (this.stopped) return false;
    if (this.socket && this.socket.readyState === OPEN && !this.awaitingJoined) {
      this.socket.send(encodeMessage(message));
      return true;
    }
    if (QUEUED_TYPES.has(message.type)) {
      this.queue.push(message);
      if (this.queue.length > this.options.maxQueued) this.queue.shift();
    }
    return false;
  }

  /** Leaves for good: closes the socket with 1000 and never reconnects. */
  close(): void {
    if (this.stopped) return;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(CloseCode.normal, 'left');
    }
    this.finish({ kind: 'left' });
  }

  private open(): void {
    const socket = this.options.createSocket(this.options.url);
    this.socket = socket;
    this.awaitingJoined = true;
    const join = () => {
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.connectTimer = null;
      const fields = this.options.joinFields();
      socket.send(
        encodeMessage({
          type: 'join',
          payload: {
            roomId: this.options.roomId,
            userId: this.options.userId,
            ...fields,
            ...(this.token ? { resumeToken: this.token } : {}),
          },
        }),
      );
    };
    socket.onmessage = (event) => {
      const message = decodeMessage(event.data);
      if (message) this.receive(message);
    };
    socket.onclose = (event) => this.dropped(socket, event.code, event.reason);
    // An error is always followed by a close event, which does the work.
    socket.onerror = () => undefined;
    // A socket opened ahead of time (see warmSocket.ts) joins at once.
    if (socket.readyState === OPEN) {
      join();
      return;
    }
    socket.onopen = join;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.socket === socket && socket.readyState !== OPEN) {
        detach(socket);
        socket.close();
        this.dropped(socket, 1006, 'connect timeout');
      }
    }, this.options.connectTimeoutMs);
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'joined') {
      this.token = message.payload.resumeToken;
      this.awaitingJoined = false;
      this.joinedOnce = true;
      this.attempt = 0;
      this.setStatus('joined');
      this.emit('message', message);
      this.flush();
      return;
    }
    if (message.type === 'error' && this.awaitingJoined && JOIN_REFUSALS.has(message.payload.code)) {
      this.refused(message.payload);
      return;
    }
    this.emit('message', message);
  }

  private refused(error: ServerPayloads['error']): void {
    // A resume can be refused with userIdTaken when the token we hold was superseded by a `joined`
    // we never received; once the server's grace period ends the same join is an ordinary one.
    if (this.joinedOnce && error.code === 'userIdTaken') {
      const socket = this.socket;
      if (socket) {
        detach(socket);
        socket.close(CloseCode.normal, 'retry');
        this.dropped(socket, CloseCode.normal, 'retry');
      }
      return;
    }
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(CloseCode.normal, 'refused');
    }
    this.finish({ kind: 'refused', errorCode: error.code, message: error.message });
  }

  private dropped(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.socket || this.stopped) return;
    this.socket = null;
    detach(socket);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (code === CLOSE_REMOVED || code === CLOSE_ENDED) {
      this.finish({ kind: code === CLOSE_REMOVED ? 'removed' : 'ended', message: reason });
      return;
    }
    if (NO_RECONNECT_CODES.has(code)) {
      const kind = code === CloseCode.replaced ? 'replaced' : 'policy';
      this.finish({ kind, message: reason });
      return;
    }
    this.setStatus(this.joinedOnce ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private flush(): void {
    const pending = this.queue;
    this.queue = [];
    for (const message of pending) this.send(message);
  }

  private finish(reason: ClosedReason): void {
    this.stopped = true;
    this.queue = [];
    this.setStatus('closed', reason);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.retryTimer = null;
    this.connectTimer = null;
  }

  private setStatus(status: SignalingStatus, reason?: ClosedReason): void {
    if (status === this.statusValue && status !== 'closed') return;
    this.statusValue = status;
    this.emit('status', status, reason);
  }

  private emit<K extends keyof Listeners>(event: K, ...args: Parameters<Listeners[K]>): void {
    for (const listener of [...this.listeners[event]]) {
      (listener as (...a: Parameters<Listeners[K]>) => void)(...args);
    }
  }
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onclose = null;
  socket.onmessage = null;
  socket.onerror = null;
}
