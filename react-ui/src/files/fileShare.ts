/**
 * The files of one call: the ones we share with everyone (one {@link FilePeer} per peer
 * connection's file channel) and the ones others share with us, as a list of {@link FileItem}s the
 * UI renders (useFileShare.ts). Peer to peer only: nothing goes through the server. Someone who
 * joins later gets none of the earlier files. No React in here.
 */
import { Emitter } from '../lib/emitter';
import { FilePeer, type ChannelLike } from './filePeer';
import { MAX_FILE_BYTES, sha256Hex, type FileMeta } from './framing';

/** How a file is doing for one receiver (or, for a file we receive, for us). */
export type TransferState = 'waiting' | 'transferring' | 'done' | 'refused' | 'stopped';

/** One receiver of a file we share. */
export interface Receiver {
  userId: string;
  received: number;
  state: TransferState;
}

/** One file card. */
export interface FileItem {
  id: string;
  name: string;
  size: number;
  mime: string;
  senderId: string;
  /** When the file was offered (ms since the epoch, our clock). */
  at: number;
  /** True for a file we share. */
  own: boolean;
  /** For a file we share: everyone it goes to. */
  receivers: Receiver[];
  /** For a file we receive: how far it got. */
  received: number;
  state: TransferState;
  /** A received file whose SHA-256 matched. */
  blob: Blob | null;
}

/** Why a file could not be shared. */
export type ShareRefusal = 'tooLarge' | 'nobody';

/**
 * Progress alone re-renders the cards at most this often (ms); every other change at once. A
 * progress step per MiB re-rendered the whole call page up to 20 times a second on both sides
 * during a transfer, taking the main thread from the transfer and the video.
 */
export const PROGRESS_RENDER_MS = 250;

/** A data channel as the peer manager hands it over (fileChannel.ts). */
export type FileChannel = ChannelLike & { addEventListener(type: 'message', listener: (event: MessageEvent) => void): void };

/** Where channels come from: the peer manager (its `fileChannel` event, and its links). */
export interface ChannelSource {
  on(event: 'fileChannel', listener: (userId: string, channel: RTCDataChannel) => void): () => void;
  on(event: 'peersChanged', listener: () => void): () => void;
  readonly connections: ReadonlyMap<string, unknown>;
}

/** The file cards of one call, and sharing. */
export class FileShare {
  private readonly peers = new Map<string, FilePeer>();
  private items: FileItem[] = [];
  private readonly events = new Emitter<{ change: (items: FileItem[]) => void }>();
  private readonly unsubscribe: (() => void)[];
  private readonly selfId: string;
  /** A progress change waits for this to emit (render throttling only: the list is always current). */
  private progressTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: { selfId: string; channels: ChannelSource }) {
    this.selfId = options.selfId;
    const { channels } = options;
    this.unsubscribe = [
      channels.on('fileChannel', (userId, channel) => this.attach(userId, channel as unknown as FileChannel)),
      // Someone left (or their link was dropped): closing a connection fires no `close` on its
      // channels, so what was under way with them ends here.
      channels.on('peersChanged', () => {
        for (const [userId, peer] of this.peers) {
          if (channels.connections.has(userId)) continue;
          this.peers.delete(userId);
          peer.close();
        }
      }),
    ];
  }

  /** The cards, oldest first (a new array after every change). */
  get list(): FileItem[] {
    return this.items;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (items: FileItem[]) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Shares `file` with everyone in the call now; refused when too large or nobody is there. */
  async share(file: Blob & { name?: string }): Promise<ShareRefusal | null> {
    if (file.size > MAX_FILE_BYTES) return 'tooLarge';
    const peers = [...this.peers.entries()];
    if (peers.length === 0) return 'nobody';
    const meta: FileMeta = {
      id: newFileId(),
      name: file.name || 'file',
      size: file.size,
      mime: file.type || 'application/octet-stream',
      sha256: await sha256Hex(file),
    };
    this.add({
      ...meta,
      senderId: this.selfId,
      at: Date.now(),
      own: true,
      receivers: peers.map(([userId]) => ({ userId, received: 0, state: 'waiting' })),
      received: 0,
      state: 'transferring',
      blob: null,
    });
    for (const [, peer] of peers) peer.send(meta, file);
    return null;
  }

  /** Stops the file `id` (ours: for everyone; theirs: for us). */
  cancel(id: string): void {
    for (const peer of this.peers.values()) peer.cancel(id);
  }

  /** Stops everything (leaving the call). */
  dispose(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    if (this.progressTimer !== null) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }

  private attach(userId: string, channel: FileChannel): void {
    this.peers.get(userId)?.close();
    const peer = new FilePeer(channel, {
      incoming: (meta) =>
        this.add({ ...meta, senderId: userId, at: Date.now(), own: false, receivers: [], received: 0, state: 'transferring', blob: null }),
      incomingProgress: (id, received) => this.patch(id, userId, () => ({ received }), false),
      incomingDone: (id, blob) => this.patch(id, userId, () => ({ blob, state: blob ? 'done' : 'refused' })),
      stopped: (id) => this.patch(id, userId, (item) => (item.state === 'transferring' ? { state: 'stopped' } : {})),
      outgoingProgress: (id, received) => this.receiver(id, userId, (r) => ({ received, state: r.state === 'waiting' ? 'transferring' : r.state })),
      outgoingResult: (id, ok) => this.receiver(id, userId, () => ({ state: ok ? 'done' : 'refused' })),
    });
    this.peers.set(userId, peer);
    channel.addEventListener('message', (event) => peer.handle(event.data as string | ArrayBuffer));
    channel.addEventListener('close', () => {
      if (this.peers.get(userId) === peer) this.peers.delete(userId);
    });
  }

  private add(item: FileItem): void {
    this.items = [...this.items, item];
    this.emit();
  }

  /** Changes the card `id` as seen from `userId` (its sender, or one of its receivers). */
  private patch(id: string, userId: string, change: (item: FileItem) => Partial<FileItem>, urgent = true): void {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    if (item.own) {
      this.receiver(id, userId, (r) => (r.state === 'waiting' || r.state === 'transferring' ? { state: 'stopped' } : {}));
      return;
    }
    if (item.senderId !== userId) return;
    this.replace({ ...item, ...change(item) }, urgent);
  }

  private receiver(id: string, userId: string, change: (r: Receiver) => Partial<Receiver>): void {
    const item = this.items.find((i) => i.id === id && i.own);
    if (!item) return;
    const receivers = item.receivers.map((r) => (r.userId === userId ? { ...r, ...change(r) } : r));
    const finished = receivers.every((r) => r.state === 'done' || r.state === 'refused' || r.state === 'stopped');
    const allStopped = receivers.every((r) => r.state === 'stopped');
    const state = finished ? (allStopped ? 'stopped' : 'done') : 'transferring';
    const urgent = state !== item.state || receivers.some((r, i) => r.state !== item.receivers[i].state);
    this.replace({ ...item, receivers, state }, urgent);
  }

  /** Puts `item` in the list; an `urgent` change shows at once, progress alone when the throttle lets it. */
  private replace(item: FileItem, urgent: boolean): void {
    this.items = this.items.map((i) => (i.id === item.id ? item : i));
    if (urgent) this.emit();
    else this.progressTimer ??= setTimeout(() => this.emit(), PROGRESS_RENDER_MS);
  }

  private emit(): void {
    if (this.progressTimer !== null) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.events.emit('change', this.items);
  }
}

function newFileId(): string {
  return crypto.randomUUID();
}
