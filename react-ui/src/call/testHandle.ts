/**
 * `window.__parley`, the handle end-to-end tests, the desktop tests and the benchmarks read (see
 * react-ui/README.md). Only test builds have it: callSession.ts calls {@link publishCallHandle}
 * behind `__PARLEY_TEST_HANDLE__` (vite.config.ts), false in the production build, where the
 * bundler drops the call and this module with it, so what users download has no `__parley` at all.
 */
import type { CallSnapshot } from './callSnapshot';
import type { OutgoingMedia } from './outgoingMedia';

/** The shape of `window.__parley`. */
export interface ParleyHandle {
  userId: string;
  roomId: string;
  peers: ReadonlyMap<string, RTCPeerConnection>;
  sharer: string | null;
  /** The call's files (files/fileShare.ts): tests share a generated Blob and read what arrived. */
  files: import('../files/fileShare').FileShare;
  /**
   * The microphone now: the local track, the one sent (RNNoise's output while it runs), the
   * noise-suppression status and the audio graph the sent track comes out of (media/noiseSuppressor.ts).
   */
  microphone: () => {
    local: MediaStreamTrack | null;
    sent: MediaStreamTrack | null;
    status: string;
    graph: import('../media/noiseSuppressor').SuppressorGraph | null;
  };
  /** The call's recording (recording/recordingControls.ts): tests read how long it has run. */
  recording: import('../recording/recordingControls').RecordingControls;
  /**
   * The camera now (read-only): the local track, the one sent (the background worker's output while
   * it runs), the background status and choice, and the worker's counts (frames written, segmented).
   */
  camera: () => {
    local: MediaStreamTrack | null;
    sent: MediaStreamTrack | null;
    status: string;
    choice: string;
    /** Why background effects are unavailable, or null. */
    failure: string | null;
    stats: { frames: number; segmented: number; segmentMs: number } | null;
  };
}

/** Sets `window.__parley` for the call `handle` describes, or updates the sharer of the one set. */
export function publishTestHandle(handle: ParleyHandle): void {
  if (typeof window === 'undefined') return;
  const current = (window as unknown as { __parley?: ParleyHandle }).__parley;
  if (current && current.userId === handle.userId) {
    current.sharer = handle.sharer;
    return;
  }
  (window as unknown as { __parley: ParleyHandle }).__parley = handle;
}

/** What a call's `window.__parley` is read from (call/callSession.ts). */
export interface CallHandleParts {
  /** The call's snapshot now. */
  snapshot: () => CallSnapshot;
  peers: ReadonlyMap<string, RTCPeerConnection>;
  files: ParleyHandle['files'];
  recording: ParleyHandle['recording'];
  /** What the call sends of the camera and microphone (call/outgoingMedia.ts). */
  media: OutgoingMedia;
}

/** Sets `window.__parley` for a joined call from its parts (the getters read them when called). */
export function publishCallHandle({ snapshot, peers, files, recording, media }: CallHandleParts): void {
  const snap = snapshot();
  publishTestHandle({
    userId: snap.selfId,
    roomId: snap.roomId,
    peers,
    sharer: snap.sharer?.userId ?? null,
    files,
    microphone: () => ({
      local: snapshot().localStream?.getAudioTracks()[0] ?? null,
      sent: media.sent?.getAudioTracks()[0] ?? null,
      status: media.noise.status,
      graph: media.noise.current?.graph ?? null,
    }),
    recording,
    camera: () => ({
      local: snapshot().localStream?.getVideoTracks()[0] ?? null,
      sent: media.sent?.getVideoTracks()[0] ?? null,
      status: media.background.status,
      choice: media.background.choice,
      failure: media.background.failure,
      stats: media.background.current ? { ...media.background.current.stats } : null,
    }),
  });
}
