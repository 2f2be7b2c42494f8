/**
 * Saving a received file: in the desktop app, through its bridge into the user's Downloads folder
 * (desktop/bridge.py `save_*`, in base64 pieces, not one string of up to 200 MB); in a browser, as
 * the browser's download. No React.
 */

/** The desktop bridge's file calls (present on meeting pages in the Parley desktop window). */
interface SaveApi {
  save_begin(name: string): Promise<{ ok: boolean; token?: string; name?: string; error?: string }>;
  save_write(token: string, data: string): Promise<{ ok: boolean; error?: string }>;
  save_finish(token: string): Promise<{ ok: boolean; name?: string; error?: string }>;
  save_abort(token: string): Promise<{ ok: boolean }>;
}

/** Bytes per bridge call (the bridge takes at most 4 MiB of data per piece). */
export const SAVE_PIECE_BYTES = 1024 * 1024;

/** How a save went: where the desktop app put it, or why it failed; `browser` for a download. */
export type SaveOutcome = { saved: string } | { failed: string } | { browser: true };

function saveApi(): SaveApi | null {
  const api = (window as unknown as { pywebview?: { api?: Partial<SaveApi> } }).pywebview?.api;
  return api && typeof api.save_begin === 'function' ? (api as SaveApi) : null;
}

/** The base64 text of `blob` (the browser's own encoder, through a data: URL). */
export function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

async function saveThroughBridge(api: SaveApi, blob: Blob, name: string): Promise<SaveOutcome> {
  const begun = await api.save_begin(name);
  if (!begun.ok || !begun.token) return { failed: begun.error ?? 'refused' };
  for (let start = 0; start < blob.size; start += SAVE_PIECE_BYTES) {
    const piece = await base64Of(blob.slice(start, Math.min(blob.size, start + SAVE_PIECE_BYTES)));
    const written = await api.save_write(begun.token, piece);
    if (!written.ok) {
      await api.save_abort(begun.token);
      return { failed: written.error ?? 'refused' };
    }
  }
  const finished = await api.save_finish(begun.token);
  return finished.ok ? { saved: finished.name ?? name } : { failed: finished.error ?? 'refused' };
}

function download(blob: Blob, name: string): SaveOutcome {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference once click() returns; the next task may free the URL.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return { browser: true };
}

/** Saves `blob` as `name`: into Downloads in the desktop app, else as the browser's download. */
export async function saveFile(blob: Blob, name: string): Promise<SaveOutcome> {
  const api = saveApi();
  if (!api) return download(blob, name);
  try {
    return await saveThroughBridge(api, blob, name);
  } catch (error) {
    return { failed: String(error) };
  }
}
