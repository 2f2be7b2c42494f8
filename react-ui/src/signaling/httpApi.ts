/**
 * The HTTP API's bodies and error codes (docs/protocol.md, "HTTP API"), typed; messages.ts
 * re-exports them. `HTTP_BODY_FIELDS` and `HTTP_ERROR_STATUS` are checked against the document by
 * `protocolDocument.test.ts`.
 */
import type { WireUser } from './messages';
import type { FieldSpec } from './messageFields';

/** `POST /createRoom`'s optional body (issue 14): protect the new room. */
export interface CreateRoomRequest {
  lobby?: boolean;
  password?: string;
}

/** `POST /createRoom` → 201; `hostToken` makes whoever joins with it a host. */
export interface CreateRoomResponse {
  roomId: string;
  hostToken: string;
}

/** `GET /room/<roomId>/users` → 200: who is in the room and who shares. */
export interface RoomUsersResponse {
  roomId: string;
  users: WireUser[];
  screenSharer: string | null;
}

/** `POST /joinRoom`'s body. */
export interface JoinRoomRequest {
  roomId: string;
}

/** `POST /joinRoom` → 200 (the pre-flight). No ICE servers: they come with `joined`. */
export interface JoinRoomResponse {
  roomId: string;
  wsUrl: string;
  users: WireUser[];
  screenSharer: string | null;
  maxRoomSize: number;
  /** Issue 14: what the pre-join page must ask for or say. */
  passwordRequired: boolean;
  lobby: boolean;
  locked: boolean;
}

/** `POST /leaveRoom`'s body: only the holder of the user's resume token may remove them. */
export interface LeaveRoomRequest {
  roomId: string;
  userId: string;
  resumeToken: string;
}

/** `POST /leaveRoom` → 200. */
export interface LeaveRoomResponse {
  left: true;
}

/** The bodies of the HTTP API (docs/protocol.md, "HTTP bodies"). */
export const HTTP_BODY_FIELDS = {
  CreateRoomRequest: { lobby: 'optional', password: 'optional' },
  CreateRoomResponse: { roomId: 'required', hostToken: 'required' },
  RoomUsersResponse: { roomId: 'required', users: 'required', screenSharer: 'required' },
  JoinRoomRequest: { roomId: 'required' },
  JoinRoomResponse: {
    roomId: 'required',
    wsUrl: 'required',
    users: 'required',
    screenSharer: 'required',
    maxRoomSize: 'required',
    passwordRequired: 'required',
    lobby: 'required',
    locked: 'required',
  },
  LeaveRoomRequest: { roomId: 'required', userId: 'required', resumeToken: 'required' },
  LeaveRoomResponse: { left: 'required' },
} as const satisfies {
  CreateRoomRequest: FieldSpec<CreateRoomRequest>;
  CreateRoomResponse: FieldSpec<CreateRoomResponse>;
  RoomUsersResponse: FieldSpec<RoomUsersResponse>;
  JoinRoomRequest: FieldSpec<JoinRoomRequest>;
  JoinRoomResponse: FieldSpec<JoinRoomResponse>;
  LeaveRoomRequest: FieldSpec<LeaveRoomRequest>;
  LeaveRoomResponse: FieldSpec<LeaveRoomResponse>;
};

/** Error codes of the HTTP API (docs/protocol.md, "HTTP error codes"). */
export type HttpErrorCode =
  | 'invalidPayload'
  | 'hostRequired'
  | 'notAllowed'
  | 'originNotAllowed'
  | 'roomNotFound'
  | 'userNotFound'
  | 'notFound'
  | 'methodNotAllowed'
  | 'roomFull'
  | 'bodyTooLarge'
  | 'unsupportedMediaType'
  | 'misdirectedRequest'
  | 'rateLimited'
  | 'unauthorized'
  | 'httpError'
  | 'internalError'
  | 'uiNotBuilt'
  | 'unavailable';

/** The HTTP status of each code (`'4xx'`: whichever client error Tornado answered itself). */
export const HTTP_ERROR_STATUS = {
  invalidPayload: 400,
  hostRequired: 400,
  unauthorized: 401,
  notAllowed: 403,
  originNotAllowed: 403,
  roomNotFound: 404,
  userNotFound: 404,
  notFound: 404,
  methodNotAllowed: 405,
  roomFull: 409,
  bodyTooLarge: 413,
  unsupportedMediaType: 415,
  misdirectedRequest: 421,
  rateLimited: 429,
  httpError: '4xx',
  internalError: 500,
  uiNotBuilt: 503,
  unavailable: 503,
} as const satisfies Record<HttpErrorCode, number | '4xx'>;

/** Every HTTP error body. */
export interface HttpErrorBody {
  code: HttpErrorCode | string;
  message: string;
}
