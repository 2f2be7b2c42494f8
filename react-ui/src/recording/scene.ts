/** What a recording shows and plays, taken from the call's snapshot: the stage, the people, their sound. Pure. */
import type { CallSnapshot } from '../call/callSession';

/** One person's tile. */
export interface SceneTile {
  userId: string;
  name: string;
  stream: MediaStream | null;
  /** Camera off (or none): the tile shows the name's initial. */
  videoOff: boolean;
}

/** One frame's content. */
export interface Scene {
  /** The shared screen, while someone shares and it arrived. */
  stage: MediaStream | null;
  /** Ourselves first, then the others in the order of the call. */
  tiles: SceneTile[];
  /** Every sound to mix: our microphone (silent while muted) and the others'. */
  audio: MediaStreamTrack[];
}

/** The scene of `snapshot`. */
export function sceneOf(snapshot: CallSnapshot): Scene {
  const self: SceneTile = {
    userId: snapshot.selfId,
    name: snapshot.displayName,
    stream: snapshot.sentCamera ?? snapshot.localStream, // as sent: with its background effect
    videoOff: snapshot.videoMuted || !snapshot.hasVideo,
  };
  const others = snapshot.participants.map((p): SceneTile => ({
    userId: p.userId,
    name: p.displayName,
    stream: p.camera,
    videoOff: p.videoMuted || !p.camera?.getVideoTracks().length,
  }));
  const audio = [
    ...(snapshot.localStream?.getAudioTracks() ?? []),
    ...snapshot.participants.flatMap((p) => [...(p.camera?.getAudioTracks() ?? []), ...(p.screen?.getAudioTracks() ?? [])]),
    // Our own share's sound (a tab's): the others hear it, so the recording does too.
    ...(snapshot.sharing ? (snapshot.stageStream?.getAudioTracks() ?? []) : []),
  ];
  return { stage: snapshot.sharer ? snapshot.stageStream : null, tiles: [self, ...others], audio };
}
