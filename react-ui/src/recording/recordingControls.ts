/**
 * One call's local recording, framework-free: **Record** / **Stop recording** (a
 * {@link MeetingRecorder} writing to the desktop app's Videos folder or the browser's private file
 * system, then offered as a download), the consent messages (`recording{active}` on start, stop and
 * after every `joined`) and who else records (recorders.ts). The UI subscribes (`useRecording`).
 */
import { Emitter } from '../lib/emitter';
import type { ClientMessage, ServerMessage } from '../signaling/messages';
import type { ChunkSink, RecordingSaved } from './chunkWriter';
import { recordingFileName } from './fileName';
import { MeetingRecorder, type MeetingRecorderOptions } from './meetingRecorder';
import { initialRecorders, recordersReducer, type RecordersState } from './recorders';
import type { Scene } from './scene';
import { offerDownload, openSink } from './sinks';

/** Where our own recording is. */
export type RecordingPhase = 'idle' | 'starting' | 'recording' | 'saving';

/** Everything the recording UI shows. */
export interface RecordingState {
  phase: RecordingPhase;
  /** Who else records (and everyone's names). */
  recorders: RecordersState;
  /** `performance.now()` when our recording started (null while none runs). */
  startedAt: number | null;
  /** The last recording: the download offered, or where the desktop app saved it. */
  saved: { name: string; path: string | null } | null;
  /** Why the last recording failed (the error's text), or null. */
  error: string | null;
  /** This browser keeps the recording in memory (no private file system). */
  inMemory: boolean;
}

/** The part of the signaling client this module uses (tests pass a fake). */
export interface RecordingSignaling {
  on(event: 'message', listener: (message: ServerMessage) => void): () => void;
  send(message: Extract<ClientMessage, { type: 'recording' }>): boolean;
}

/** Settings of {@link RecordingControls}. */
export interface RecordingControlsOptions {
  selfId: string;
  roomId: string;
  signaling: RecordingSignaling;
  /** What to record now (called for every frame). */
  scene: () => Scene;
  /** Where the recording named `name` goes (default: the desktop app's, else OPFS, else memory). */
  openSink?: (name: string) => Promise<{ sink: ChunkSink; inMemory: boolean }>;
  /** Offers a finished browser recording (default: the browser's download). */
  offer?: (file: Blob, name: string) => void;
  /** Makes the recorder (tests pass one without MediaRecorder; default {@link MeetingRecorder}). */
  createRecorder?: (options: MeetingRecorderOptions) => RecorderLike;
}

/** What this module uses of a {@link MeetingRecorder}. */
export type RecorderLike = Pick<MeetingRecorder, 'start' | 'stop' | 'abort' | 'elapsedMs' | 'framesDrawn' | 'drawMs' | 'offThread'> & {
  writer: Pick<MeetingRecorder['writer'], 'chunks'>;
};

type Events = { change: (state: RecordingState) => void };

/** The call's Record button, its file and the consent indicator's data. */
export class RecordingControls {
  private current: RecordingState;
  private recorder: RecorderLike | null = null;
  /** We told the server we record at some point: after a rejoin it hears our state again. */
  private announced = false;
  private readonly events = new Emitter<Events>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(private readonly options: RecordingControlsOptions) {
    this.current = { phase: 'idle', recorders: initialRecorders(options.selfId), startedAt: null, saved: null, error: null, inMemory: false };
    this.unsubscribe = options.signaling.on('message', (message) => {
      const recorders = recordersReducer(this.current.recorders, message);
      if (recorders !== this.current.recorders) this.update({ recorders });
      // A resume keeps the server's flag and a new join starts without it: say where we are.
      if (message.type === 'joined' && this.announced) this.announce();
    });
  }

  /** The current state (a new object after every change). */
  get state(): RecordingState {
    return this.current;
  }

  /** Whether we record (or are about to, or are saving). */
  get active(): boolean {
    return this.current.phase === 'starting' || this.current.phase === 'recording';
  }

  /** Milliseconds our recording has run, 0 while none does. */
  elapsedMs(): number {
    return this.recorder?.elapsedMs() ?? 0;
  }

  /** Chunks of our recording written to its file so far (tests and benchmarks read it). */
  writtenChunks(): number {
    return this.recorder?.writer.chunks ?? 0;
  }

  /** Frames of our recording drawn so far. */
  framesDrawn(): number {
    return this.recorder?.framesDrawn ?? 0;
  }

  /** Milliseconds the page (its main thread) spent on our recording's picture so far. */
  drawMs(): number {
    return this.recorder?.drawMs ?? 0;
  }

  /** Whether our recording's frames are drawn in a worker (false: on the main thread, or no recording). */
  composedOffThread(): boolean {
    return Boolean(this.recorder?.offThread);
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe(listener: (state: RecordingState) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Starts recording (call from the click: the sound mixer needs the gesture). */
  async start(): Promise<void> {
    if (this.current.phase !== 'idle' || this.disposed) return;
    this.update({ phase: 'starting', error: null, saved: null });
    try {
      const name = recordingFileName(this.options.roomId, new Date());
      const { sink, inMemory } = await (this.options.openSink ?? openSink)(name);
      if (this.disposed) {
        await sink.abort();
        return;
      }
      const create = this.options.createRecorder ?? ((options: MeetingRecorderOptions) => new MeetingRecorder(options));
      const recorder = create({ scene: this.options.scene, sink, onError: (error) => this.failed(error) });
      this.recorder = recorder;
      recorder.start();
      this.announced = true;
      this.announce();
      this.update({ phase: 'recording', startedAt: performance.now(), inMemory });
    } catch (error) {
      this.recorder = null;
      this.update({ phase: 'idle', error: String(error instanceof Error ? error.message : error) });
    }
  }

  /** Stops recording and saves the file (a download in the browser; the Videos folder in the desktop app). */
  async stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder || this.current.phase !== 'recording') return;
    this.recorder = null;
    this.update({ phase: 'saving', startedAt: null });
    this.announce();
    try {
      const saved = await recorder.stop();
      this.deliver(saved);
      this.update({ phase: 'idle', saved: { name: saved.name, path: saved.kind === 'saved' ? saved.path : null } });
    } catch (error) {
      this.update({ phase: 'idle', error: String(error instanceof Error ? error.message : error) });
    }
  }

  /** Closes the message about the last recording. */
  dismiss(): void {
    this.update({ saved: null, error: null });
  }

  /** The call ended: a recording under way is stopped and saved (the others saw us leave). */
  dispose(): void {
    if (this.disposed) return;
    void this.stop();
    this.disposed = true;
    this.unsubscribe();
  }

  private deliver(saved: RecordingSaved): void {
    if (saved.kind === 'download') (this.options.offer ?? offerDownload)(saved.file, saved.name);
  }

  private announce(): void {
    if (this.disposed) return;
    this.options.signaling.send({ type: 'recording', payload: { active: this.active } });
  }

  private failed(error: unknown): void {
    console.warn('[parley] recording failed:', error);
    const recorder = this.recorder;
    this.recorder = null;
    void recorder?.abort();
    this.update({ phase: 'idle', startedAt: null, error: String(error instanceof Error ? error.message : error) });
    this.announce();
  }

  private update(patch: Partial<RecordingState>): void {
    this.current = { ...this.current, ...patch };
    this.events.emit('change', this.current);
  }
}
