/**
 * Where a recording is written while it runs (see chunkWriter.ts): in the desktop app, a file in
 * the user's Videos folder through the bridge (desktop/bridge.py `record_*`); in a browser, a file
 * in the origin's private file system (OPFS), offered as a download on stop. Only where neither
 * exists is it kept in memory (said in `inMemory`).
 */
import type { ChunkSink, RecordingSaved } from './chunkWriter';
import { base64Of } from '../files/saveFile';

/** The desktop bridge's recording calls (meeting pages in the Parley desktop window). */
export interface RecordApi {
  record_begin(name: string): Promise<{ ok: boolean; token?: string; name?: string; error?: string }>;
  record_write(token: string, data: string): Promise<{ ok: boolean; error?: string }>;
  record_finish(token: string): Promise<{ ok: boolean; name?: string; path?: string; error?: string }>;
  record_abort(token: string): Promise<{ ok: boolean }>;
}

/** Bytes per bridge call (the bridge takes at most 4 MiB of data per piece). */
const BRIDGE_PIECE_BYTES = 1024 * 1024;
/** The OPFS folder recordings are written in (the last one stays until the next recording starts). */
const OPFS_FOLDER = 'recordings';

/** The desktop bridge's recording calls, when this page is a meeting page in the desktop window. */
export function recordApi(win: Window = window): RecordApi | null {
  const api = (win as unknown as { pywebview?: { api?: Partial<RecordApi> } }).pywebview?.api;
  return api && typeof api.record_begin === 'function' ? (api as RecordApi) : null;
}


/** Writes into a file the desktop app made in the user's Videos folder. */
export async function bridgeSink(api: RecordApi, name: string): Promise<ChunkSink> {
  const begun = await api.record_begin(name);
  if (!begun.ok || !begun.token) throw new Error(begun.error ?? 'refused');
  const token = begun.token;
  return {
    async write(chunk) {
      for (let start = 0; start < chunk.size; start += BRIDGE_PIECE_BYTES) {
        const piece = await base64Of(chunk.slice(start, Math.min(chunk.size, start + BRIDGE_PIECE_BYTES)));
        const written = await api.record_write(token, piece);
        if (!written.ok) throw new Error(written.error ?? 'refused');
      }
    },
    async close(): Promise<RecordingSaved> {
      const finished = await api.record_finish(token);
      if (!finished.ok) throw new Error(finished.error ?? 'refused');
      return { kind: 'saved', name: finished.name ?? begun.name ?? name, path: finished.path ?? '' };
    },
    async abort() {
      await api.record_abort(token);
    },
  };
}

/** Whether this browser has a private file system with writable files. */
export function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function'
    && typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype;
}

/** Writes into a file of the origin's private file system; the older recordings there are removed first. */
export async function opfsSink(name: string): Promise<ChunkSink> {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  // The last recording stays there after its download (the download may still be reading it).
  const old: string[] = [];
  for await (const key of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) old.push(key);
  for (const key of old) await folder.removeEntry(key).catch(() => undefined);
  const handle = await folder.getFileHandle(name, { create: true });
  const stream = await handle.createWritable();
  return {
    write: (chunk) => stream.write(chunk),
    async close(): Promise<RecordingSaved> {
      await stream.close();
      return { kind: 'download', name, file: await handle.getFile() };
    },
    async abort() {
      await stream.abort().catch(() => undefined);
      await folder.removeEntry(name).catch(() => undefined);
    },
  };
}

/** Keeps the chunks in memory (a browser without OPFS): the recording grows the page. */
export function memorySink(name: string): ChunkSink {
  let chunks: Blob[] = [];
  return {
    async write(chunk) {
      chunks.push(chunk);
    },
    async close(): Promise<RecordingSaved> {
      const file = new Blob(chunks, { type: 'video/webm' });
      chunks = [];
      return { kind: 'download', name, file };
    },
    async abort() {
      chunks = [];
    },
  };
}

/** The sink for a recording named `name` here: the desktop app's, else OPFS, else memory. */
export async function openSink(name: string): Promise<{ sink: ChunkSink; inMemory: boolean }> {
  const api = recordApi();
  if (api) return { sink: await bridgeSink(api, name), inMemory: false };
  if (hasOpfs()) {
    try {
      return { sink: await opfsSink(name), inMemory: false };
    } catch (error) {
      console.warn('[parley] recording: no private file system, keeping the recording in memory:', error);
    }
  }
  return { sink: memorySink(name), inMemory: true };
}

/** Offers `file` as the browser's download named `name`. */
export function offerDownload(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the file through the URL: keep it a while (a long recording takes time to copy).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
