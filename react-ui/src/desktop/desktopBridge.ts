/**
 * The desktop app's bridge (`window.pywebview.api`, see desktop/bridge.py), typed. No React.
 *
 * Inside the Parley desktop window pywebview injects `window.pywebview.api` and fires
 * `pywebviewready`; in a browser neither exists and {@link waitForBridge} resolves to null.
 */
import { i18n } from '../i18n';

/** A server seen recently, as the app remembers it. */
export interface RecentServer {
  url: string;
  name?: string;
}

/** A Parley server found on the local network (mDNS). */
export interface NearbyServer {
  name: string;
  url: string;
  fingerprint?: string;
}

/** What `state()` returns. */
export interface DesktopState {
  ok: boolean;
  version?: string;
  name?: string;
  recent?: Array<RecentServer | string>;
  problems?: Array<{ device?: string; message: string; fix?: string }>;
  screenCapture?: boolean;
  /** The language chosen in the window ("": the system's); absent from older apps. */
  language?: string;
  error?: string;
}

/** Every call answers `{ok, ...}`; on success `url` is where the window goes next. */
export interface BridgeResult {
  ok: boolean;
  url?: string;
  error?: string;
  /** Why it failed, for the page to say in its language (`badLink`, `badAddress`, `discoveryFailed`). */
  code?: string;
  /** The OS's reason, with `discoveryFailed`. */
  detail?: string;
  servers?: NearbyServer[];
}

/** The methods the desktop app offers; `host_lan` and `discover` exist once LAN mode is wired. */
export interface DesktopApi {
  state(): Promise<DesktopState>;
  /** Hosts on the embedded server; the room asks for `password` when given, and has a lobby with `lobby`. */
  host(name: string, lan?: boolean, password?: string, lobby?: boolean): Promise<BridgeResult>;
  join(link: string, name: string): Promise<BridgeResult>;
  connect(url: string, name: string): Promise<BridgeResult>;
  host_lan?(name: string, password?: string, lobby?: boolean): Promise<BridgeResult>;
  discover?(): Promise<BridgeResult>;
  set_language?(language: string): Promise<BridgeResult>;
}

interface PywebviewWindow {
  pywebview?: { api?: Partial<DesktopApi> };
}

function currentApi(win: PywebviewWindow): DesktopApi | null {
  const api = win.pywebview?.api;
  return api && typeof api.state === 'function' && typeof api.host === 'function'
    ? (api as DesktopApi)
    : null;
}

/** Set by the desktop app on its start screen's URL (`/?desktop`), before pywebview is injected. */
const DESKTOP_MARK = 'desktop';
const SEEN_KEY = 'parley.desktopWindow';

/** Whether the app said this page is in its window (the URL, or earlier in this tab). */
function markedAsDesktop(win: Window): boolean {
  try {
    if (new URLSearchParams(win.location.search).has(DESKTOP_MARK)) return true;
    return win.sessionStorage.getItem(SEEN_KEY) === '1';
  } catch {
    return false;
  }
}

function remember(win: Window, api: DesktopApi | null): DesktopApi | null {
  if (api) {
    try {
      win.sessionStorage.setItem(SEEN_KEY, '1');
    } catch {
      // no storage: the URL mark still works
    }
  }
  return api;
}

/**
 * The bridge if this page runs in the desktop window, else null. pywebview injects its api only
 * once the page has loaded, after React mounted, so this waits for `pywebviewready` when
 * pywebview is there without its api, or when the app marked the page (`?desktop`): up to
 * `timeoutMs`, or `markedTimeoutMs` for a marked page on a busy machine.
 */
export function waitForBridge(win: Window = window, timeoutMs = 3000, markedTimeoutMs = 20_000): Promise<DesktopApi | null> {
  const pywin = win as unknown as PywebviewWindow;
  const ready = currentApi(pywin);
  if (ready) return Promise.resolve(remember(win, ready));
  const marked = markedAsDesktop(win);
  if (!('pywebview' in pywin) && !marked) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = () => {
      win.removeEventListener('pywebviewready', done);
      clearTimeout(timer);
      resolve(remember(win, currentApi(pywin)));
    };
    const timer = setTimeout(done, marked ? markedTimeoutMs : timeoutMs);
    win.addEventListener('pywebviewready', done);
  });
}

/** A recent-server entry as a URL and a label, whichever shape the app stored. */
export function describeRecent(entry: RecentServer | string): RecentServer {
  return typeof entry === 'string' ? { url: entry } : entry;
}

/** Turn a bridge call into a result that never throws (the page shows `error`). */
export async function call(run: () => Promise<BridgeResult>): Promise<BridgeResult> {
  try {
    const result = await run();
    return result && typeof result.ok === 'boolean' ? result : { ok: false, error: i18n.t('desktop:noAnswer') };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
