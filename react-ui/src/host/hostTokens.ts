/**
 * What this browser keeps to be a meeting's host: the `hostToken` of each room it created (from
 * `POST /createRoom`, sent as `join.hostToken`), and the operator's token for creating rooms on a
 * server started with `--create-room-token`. Both live in localStorage, per browser.
 *
 * The desktop app creates its rooms itself and hands the page the token in the meeting URL's
 * fragment (`#hostToken=...`), which never reaches a server or a log: {@link adoptHostTokenFromUrl}
 * keeps it and takes it out of the address bar.
 */

const HOST_TOKENS_KEY = 'parley.hostTokens';
const CREATE_TOKEN_KEY = 'parley.createRoomToken';
/** The most rooms remembered; the oldest are forgotten first. */
const MAX_ROOMS = 50;

type Tokens = Record<string, string>;

function readTokens(): Tokens {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(HOST_TOKENS_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Tokens) : {};
  } catch {
    return {};
  }
}

function writeTokens(tokens: Tokens): void {
  try {
    localStorage.setItem(HOST_TOKENS_KEY, JSON.stringify(tokens));
  } catch {
    // storage refused (private mode): the token lasts for this page only
  }
}

/** Remembers that this browser hosts `roomId` with `hostToken`. */
export function rememberHostToken(roomId: string, hostToken: string): void {
  const tokens = readTokens();
  delete tokens[roomId]; // re-inserted last: the newest
  tokens[roomId] = hostToken;
  const rooms = Object.keys(tokens);
  for (const old of rooms.slice(0, Math.max(0, rooms.length - MAX_ROOMS))) delete tokens[old];
  writeTokens(tokens);
}

/** The host token this browser holds for `roomId`, if any. */
export function hostTokenOf(roomId: string): string | undefined {
  const token = readTokens()[roomId];
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Keeps a `#hostToken=...` handed over in the page's URL (the desktop app) for `roomId`, and removes
 * it from the address bar and history.
 */
export function adoptHostTokenFromUrl(roomId: string, win: Window = window): void {
  const fragment = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const token = fragment.get('hostToken');
  if (!token) return;
  rememberHostToken(roomId, token);
  fragment.delete('hostToken');
  const rest = fragment.toString();
  win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search + (rest ? `#${rest}` : ''));
}

/** The operator's token for creating rooms that this browser was given, if any. */
export function createRoomToken(): string | undefined {
  try {
    return localStorage.getItem(CREATE_TOKEN_KEY) || undefined;
  } catch {
    return undefined;
  }
}

/** Remembers the token for creating rooms (null forgets it: the server did not take it). */
export function rememberCreateRoomToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(CREATE_TOKEN_KEY, token);
    else localStorage.removeItem(CREATE_TOKEN_KEY);
  } catch {
    // storage refused: asked again next time
  }
}
