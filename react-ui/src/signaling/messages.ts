/**
 * The wire messages of Parley's signaling protocol, typed.
 *
 * This file mirrors `docs/protocol.md` (and the server's `tornado_app/rooms/protocol.py`); the three
 * change in the same commit. Every message is `{type, payload}` in JSON. The runtime tables below
 * (`CLIENT_MESSAGE_FIELDS`, `ERROR_CODES`, ...) are checked against the types here by TypeScript
 * (`satisfies`) and against the document by `protocolDocument.test.ts`. The field tables are in
 * messageFields.ts and the HTTP API in httpApi.ts; both are re-exported here.
 */
import { SERVER_MESSAGE_FIELDS } from './messageFields';

export * from './messageFields';
export * from './httpApi';

/** The one client-side definition of a `roomId`/`userId` (the server's is `protocol.ID_PATTERN`). */
export const ID_PATTERN = '[A-Za-z0-9_-]{1,64}';

const ID = new RegExp(`^${ID_PATTERN}$`);

/** Whether `text` is a well-formed `roomId`/`userId`. */
export function isId(text: string): boolean {
  return ID.test(text);
}

/**
 * An `RTCSessionDescriptionInit` as it travels on the wire. `sdp` may be missing (it means `''`, as
 * in WebRTC): the server accepts a description without it and relays an empty one without it.
 */
export interface WireSdp {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
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
  /** When the user's hand went up (server time, ms since the epoch); `null` while it is down. */
  handRaisedAt: number | null;
  /** Issue 14: a host may admit, remove, ask to mute and end; a guest may not. */
  role: Role;
  /** Issue 15: this user records the meeting. */
  recording: boolean;
}

/** A user's role in a meeting (issue 14). */
export type Role = 'host' | 'guest';

/** Which of its two SFU connections a message is about (issue 16). */
export type SfuPc = 'publish' | 'subscribe';

/** How a room carries media: every person to every other, or through the media server (issue 16). */
export type Topology = 'mesh' | 'sfu';

/** Which simulcast layer of a person's camera a subscriber receives (issue 16). */
export type SfuLayer = 'high' | 'low' | 'paused';

/** Which person (and which of their media) a subscribe offer's m-line carries. */
export interface WireSfuStream {
  mid: string;
  userId: string;
  kind: 'audio' | 'camera' | 'screen';
}

/** The room's admission settings, as anyone in it may know them (issue 14). */
export interface WireRoomView {
  lobby: boolean;
  locked: boolean;
  passwordRequired: boolean;
}

/** Someone waiting in the lobby, as hosts see them. */
export interface WireWaitingUser {
  userId: string;
  displayName: string;
}

/** One chat message, live (`chat`) or in `joined.chat`. */
export interface WireChatMessage {
  /** Unique in the room. */
  messageId: string;
  senderId: string;
  displayName: string;
  /** Plain text: show it as text, never as HTML. */
  text: string;
  /** Server time, ms since the epoch. */
  sentAt: number;
  /** Only on a private message: the one user (besides the sender) who gets it. */
  targetId?: string;
}

/** The longest chat text, in characters after trimming (docs/protocol.md). */
export const MAX_CHAT_TEXT = 2000;

/** The reactions people can send, in the order the client shows them. */
export const REACTION_EMOJI = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;

/** A reaction. */
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

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
    /** The room's host token (from `POST /createRoom`): join as host. */
    hostToken?: string;
    /** The room's password, when it has one (1–128 characters). */
    password?: string;
  };
  offer: { sdp: WireSdp; targetId: string };
  answer: { sdp: WireSdp; targetId: string };
  iceCandidate: { candidate: WireCandidate; targetId: string };
  startScreenShare: { userId: string; roomId: string; streamId?: string };
  stopScreenShare: { userId: string; roomId: string };
  mediaState: { audioMuted: boolean; videoMuted: boolean };
  refreshIceServers: Record<string, never>;
  chat: { text: string; targetId?: string };
  hand: { raised: boolean };
  reaction: { emoji: ReactionEmoji };
  /** We record the meeting (or stopped): everyone is shown who records. */
  recording: { active: boolean };
  // Host only (issue 14); a guest gets error{notAllowed}.
  roomSettings: { lobby?: boolean; locked?: boolean; password?: string | null };
  admit: { userId: string };
  deny: { userId: string };
  removeUser: { targetId: string };
  muteRequest: { targetId?: string };
  lowerHand: { targetId: string };
  setRole: { targetId: string; role: Role };
  endMeeting: Record<string, never>;
  // SFU rooms only (issue 16); in a mesh room the server answers error{notSfu}.
  sfuOffer: { pc: SfuPc; sdp: WireSdp };
  sfuAnswer: { pc: SfuPc; sdp: WireSdp };
  sfuCandidate: { pc: SfuPc; candidate: WireCandidate };
  sfuLayer: { userId: string; layer: SfuLayer };
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
  | 'roomLocked'
  | 'passwordRequired'
  | 'wrongPassword'
  | 'admissionDenied'
  | 'unavailable'
  | 'notSfu'
  | 'sfuUnavailable'
  | 'internalError';

const ERROR_CODE_SET = {
  badMessage: true,
  unknownType: true,
  invalidPayload: true,
  notJoined: true,
  alreadyJoined: true,
  roomNotFound: true,
  roomFull: true,
  userIdTaken: true,
  targetNotFound: true,
  notAllowed: true,
  rateLimited: true,
  roomLocked: true,
  passwordRequired: true,
  wrongPassword: true,
  admissionDenied: true,
  unavailable: true,
  notSfu: true,
  sfuUnavailable: true,
  internalError: true,
} as const satisfies Record<ErrorCode, true>;

/** Every WebSocket error code (docs/protocol.md, "Error codes"). */
export const ERROR_CODES = Object.keys(ERROR_CODE_SET) as ErrorCode[];

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
    /** The conversation so far that this user may read, oldest first. */
    chat: WireChatMessage[];
    /** The joiner's own role. */
    role: Role;
    room: WireRoomView;
    /** The lobby, to a host (always empty to a guest). */
    waiting: WireWaitingUser[];
    /** Issue 16: "sfu" once the room carries media through the media server. */
    topology: Topology;
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
  chat: WireChatMessage;
  hand: { userId: string; raised: boolean; raisedAt: number | null };
  reaction: { userId: string; emoji: ReactionEmoji | string };
  role: { userId: string; role: Role };
  recording: { userId: string; active: boolean };
  roomSettings: WireRoomView;
  /** The lobby holds us: wait for a host. */
  waiting: Record<string, never>;
  /** To hosts: someone waits in the lobby. */
  knock: WireWaitingUser;
  /** To hosts: that person left the lobby, or another host denied them. */
  knockCancelled: { userId: string };
  muteRequest: { by: string };
  removed: { by: string };
  meetingEnded: { by: string };
  /** The room now carries media this way (issue 16). */
  topology: { mode: Topology };
  /** The server's offer for the subscribing connection, and which person each mid carries. */
  sfuOffer: { pc: SfuPc; sdp: WireSdp; streams: WireSfuStream[] };
  /** The answer to our publishing connection's offer. */
  sfuAnswer: { pc: SfuPc; sdp: WireSdp };
  sfuCandidate: { pc: SfuPc; candidate: WireCandidate };
  /** The media server was lost and the room is on one again: restart both SFU connections. */
  sfuRestart: Record<string, never>;
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
  removed: 4003,
  ended: 4004,
} as const;

/** Close codes after which a client must not reconnect (docs/protocol.md, "Close codes"). */
export const NO_RECONNECT_CODES: ReadonlySet<number> = new Set([
  CloseCode.policyViolation,
  CloseCode.replaced,
  CloseCode.removed,
  CloseCode.ended,
]);

// ---------------------------------------------------------------- (de)serialization

const SERVER_TYPES: ReadonlySet<string> = new Set(Object.keys(SERVER_MESSAGE_FIELDS));

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
