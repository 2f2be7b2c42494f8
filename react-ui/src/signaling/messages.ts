/**
 * The wire messages of Parley's signaling protocol, typed.
 *
 * This file mirrors `docs/protocol.md` (and the server's `tornado_app/rooms/protocol.py`); the three
 * change in the same commit. Every message is `{type, payload}` in JSON.
 */

/** An `RTCSessionDescriptionInit` as it travels on the wire. */
export interface WireSdp {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp: string;
}

/** An `RTCIceCandidateInit` as it travels on the wire. */
export interface WireCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** One user as the server describes them in `joined.users`, `userJoined` and `GET /room/<id>/users`. */
export interface WireUser {
  userId: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
}

/** An `RTCIceServer` dictionary from the server's configuration. */
export interface WireIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

// ---------------------------------------------------------------- client → server

/** Payloads of the messages a client sends, by type. */
export interface ClientPayloads {
  join: {
    roomId: string;
    userId: string;
    displayName?: string;
    resumeToken?: string;
    audioMuted?: boolean;
    videoMuted?: boolean;
  };
  offer: { sdp: WireSdp; targetId: string };
  answer: { sdp: WireSdp; targetId: string };
  iceCandidate: { candidate: WireCandidate; targetId: string };
  startScreenShare: { userId: string; roomId: string; streamId?: string };
  stopScreenShare: { userId: string; roomId: string };
  mediaState: { audioMuted: boolean; videoMuted: boolean };
  refreshIceServers: Record<string, never>;
}

/** The type of a client → server message. */
export type ClientMessageType = keyof ClientPayloads;

/** A client → server message. */
export type ClientMessage = {
  [K in ClientMessageType]: { type: K; payload: ClientPayloads[K] };
}[ClientMessageType];

// ---------------------------------------------------------------- server → client

/** Error codes the server sends in `error{code, message}`. */
export type ErrorCode =
  | 'badMessage'
  | 'unknownType'
  | 'invalidPayload'
  | 'notJoined'
  | 'alreadyJoined'
  | 'roomNotFound'
  | 'roomFull'
  | 'userIdTaken'
  | 'targetNotFound'
  | 'notAllowed'
  | 'rateLimited'
  | 'unavailable'
  | 'internalError';

/** Payloads of the messages a server sends, by type. */
export interface ServerPayloads {
  joined: {
    roomId: string;
    userId: string;
    /** Everyone else in the room. */
    users: WireUser[];
    screenSharer: string | null;
    screenStreamId: string | null;
    iceServers: WireIceServer[];
    resumeToken: string;
  };
  userJoined: WireUser;
  userLeft: { userId: string };
  offer: { sdp: WireSdp; senderId: string };
  answer: { sdp: WireSdp; senderId: string };
  iceCandidate: { candidate: WireCandidate; senderId: string };
  screenShareActive: { sharingUserId: string; streamId: string | null };
  screenShareStopped: { stoppedUserId: string };
  mediaState: { userId: string; audioMuted: boolean; videoMuted: boolean };
  /** The answer to `refreshIceServers`: fresh TURN credentials. */
  iceServers: { iceServers: WireIceServer[] };
  error: { code: ErrorCode | string; message: string };
}

/** The type of a server → client message. */
export type ServerMessageType = keyof ServerPayloads;

/** A server → client message. */
export type ServerMessage = {
  [K in ServerMessageType]: { type: K; payload: ServerPayloads[K] };
}[ServerMessageType];

/** Close codes with a meaning in the protocol. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  tooBig: 1009,
  replaced: 4001,
} as const;

/** Close codes after which a client must not reconnect (docs/protocol.md, "Close codes"). */
export const NO_RECONNECT_CODES: ReadonlySet<number> = new Set([
  CloseCode.policyViolation,
  CloseCode.replaced,
]);

// ---------------------------------------------------------------- HTTP API

/** `POST /createRoom` → 201. */
export interface CreateRoomResponse {
  roomId: string;
}

/** `POST /joinRoom` → 200 (the pre-flight). No ICE servers: they come with `joined`. */
export interface JoinRoomResponse {
  roomId: string;
  wsUrl: string;
  users: WireUser[];
  screenSharer: string | null;
  maxRoomSize: number;
}

/** Every HTTP error body. */
export interface HttpErrorBody {
  code: string;
  message: string;
}

// ---------------------------------------------------------------- (de)serialization

const SERVER_TYPES: ReadonlySet<string> = new Set<ServerMessageType>([
  'joined',
  'userJoined',
  'userLeft',
  'offer',
  'answer',
  'iceCandidate',
  'screenShareActive',
  'screenShareStopped',
  'mediaState',
  'iceServers',
  'error',
]);

/** Serializes a client message for the WebSocket. */
export function encodeMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

/**
 * Parses one WebSocket text frame from the server.
 *
 * Returns `null` for anything that is not a `{type, payload}` object of a known server type; the
 * payload's fields are trusted to match the type (the server validates what it relays).
 */
export function decodeMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { type, payload } = parsed as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !SERVER_TYPES.has(type)) return null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  return { type, payload } as ServerMessage;
}
