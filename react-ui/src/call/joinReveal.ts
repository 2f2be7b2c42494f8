/**
 * When the call page replaces the pre-join page after Join. A fresh tab's join runs its offers,
 * answers and candidates on the main thread that would mount the whole call page, and four people
 * joining at once on a small machine share its cores too: the call page mounted at the click held
 * everyone's first remote frame back (docs/benchmarks.md, fresh tab). So the pre-join page stays,
 * its Join button saying "Joining…", until the first remote camera sends (its track's first
 * packet), or every link is up (nobody sends a camera), or nobody else is in the room, or the
 * session ended, or the lobby holds us, or a deadline passed. The others' `<video>` elements are
 * playing by then (media/remoteVideos.ts), so the page shows their pictures as it appears.
 */
import type { CallSnapshot, RemoteParticipant } from './callSnapshot';

/** How long the pre-join page waits at most, from the click. */
export const REVEAL_DEADLINE_MS = 2000;

/** Their camera is on and its first packet came (a received track is muted until then). */
function cameraSends(p: RemoteParticipant): boolean {
  return !p.videoMuted && (p.camera?.getVideoTracks() ?? []).some((track) => !track.muted);
}

/** Whether the call page can be shown now (the snapshot, and whether the lobby holds us). */
export function callShowable(snapshot: CallSnapshot, waitingInLobby: boolean): boolean {
  if (snapshot.status === 'closed' || waitingInLobby) return true;
  if (!snapshot.joined) return false;
  const others = snapshot.participants;
  return others.length === 0 || others.some(cameraSends) || others.every((p) => p.connectionState === 'connected');
}

/** What {@link whenCallShowable} watches: a CallSession, narrowed. */
export interface RevealSource {
  readonly snapshot: CallSnapshot;
  subscribe(listener: () => void): () => void;
  readonly host: { readonly state: { waiting: boolean }; subscribe(listener: () => void): () => void };
}

/**
 * Calls `onShowable` once, when {@link callShowable} holds or `deadlineMs` passed; returns a cancel.
 * A remote camera's first packet (its track's `unmute`) is no snapshot change, so it is listened to.
 */
export function whenCallShowable(source: RevealSource, onShowable: () => void, deadlineMs = REVEAL_DEADLINE_MS): () => void {
  let done = false;
  const watched = new Set<MediaStreamTrack>();
  const show = () => {
    finish();
    onShowable();
  };
  const check = () => {
    if (done) return;
    const snapshot = source.snapshot;
    if (callShowable(snapshot, source.host.state.waiting)) return show();
    for (const p of snapshot.participants) {
      for (const track of p.camera?.getVideoTracks() ?? []) {
        if (track.muted && !watched.has(track)) {
          watched.add(track);
          track.addEventListener('unmute', check, { once: true });
        }
      }
    }
  };
  const unsubscribe = source.subscribe(check);
  const unsubscribeHost = source.host.subscribe(check);
  const timer = setTimeout(() => {
    if (!done) show();
  }, deadlineMs);
  function finish() {
    done = true;
    unsubscribe();
    unsubscribeHost();
    clearTimeout(timer);
    for (const track of watched) track.removeEventListener('unmute', check);
  }
  check();
  return () => {
    if (!done) finish();
  };
}
