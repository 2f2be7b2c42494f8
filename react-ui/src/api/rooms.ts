/** The HTTP side of the protocol (docs/protocol.md, "HTTP API"): create a room, pre-flight a join (`POST /leaveRoom` goes by `sendBeacon`: see useCallSession). */
import {
  ID_PATTERN,
  isId,
  type CreateRoomResponse,
  type HttpErrorBody,
  type JoinRoomRequest,
  type JoinRoomResponse,
} from '../signaling/messages';
import { i18n } from '../i18n';

/** A failed request: the server's error code (or `network`) and a message for people. */
export interface ApiError {
  code: string;
  message: string;
}

/** Either the response body or an {@link ApiError}. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

type Fetch = typeof fetch;

async function postJson<T>(path: string, body: unknown, fetchImpl: Fetch, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'Cannot reach the Parley server. Check your connection and try again.' } };
  }
  let data: unknown = null;
  try {
    data = await response.json();
  } catch {
    // An error page that is not JSON: handled below by the status.
  }
  if (response.ok && data && typeof data === 'object') return { ok: true, value: data as T };
  const error = (data ?? {}) as Partial<HttpErrorBody>;
  return {
    ok: false,
    error: { code: error.code ?? `http${response.status}`, message: error.message ?? `The server answered ${response.status}.` },
  };
}

/** What a new room starts with (issue 14): a lobby, a password. */
export interface NewRoomSettings {
  lobby?: boolean;
  password?: string;
}

/**
 * `POST /createRoom`, with the operator's token where the server asks for one (`--create-room-token`:
 * else 401 `unauthorized`). The answer's `hostToken` is this browser's to keep (host/hostTokens.ts).
 */
export function createRoom(
  settings: NewRoomSettings = {},
  createToken?: string,
  fetchImpl: Fetch = fetch,
): Promise<ApiResult<CreateRoomResponse>> {
  const headers: Record<string, string> = createToken ? { Authorization: `Bearer ${createToken}` } : {};
  return postJson<CreateRoomResponse>('/createRoom', settings, fetchImpl, headers);
}

/** `POST /joinRoom`: does the room exist, and is there room for one more? Reserves nothing. */
export function preflightJoin(roomId: string, fetchImpl: Fetch = fetch): Promise<ApiResult<JoinRoomResponse>> {
  const body: JoinRoomRequest = { roomId };
  return postJson<JoinRoomResponse>('/joinRoom', body, fetchImpl);
}

/** The error codes a person gets a sentence for in their language (else the server's message). */
const EXPLAINED = ['roomNotFound', 'roomFull', 'invalidPayload', 'rateLimited', 'network'];

/** What a person is told when a room cannot be joined, by error code, in the shown language. */
export function describeRoomError(error: ApiError): string {
  if (EXPLAINED.includes(error.code)) return i18n.t(`errors:room.${error.code}`);
  if (error.code === 'sfuUnavailable') return i18n.t('sfu:joinUnavailable');
  const status = /^http(\d{3})$/.exec(error.code);
  if (status) return i18n.t('errors:room.httpStatus', { status: status[1] });
  return error.message;
}

const ROOM_LINK = new RegExp(`(?:^|/)r/(${ID_PATTERN})(?:[/?#]|$)`);

/**
 * The room id in what someone pasted: a whole link (`https://host/r/<id>?name=...`), a path
 * (`/r/<id>`) or the bare code. Null when it is none of these.
 */
export function parseMeetingInput(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const match = ROOM_LINK.exec(text);
  if (match) return match[1];
  return isId(text) ? text : null;
}
