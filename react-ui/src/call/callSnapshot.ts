/**
 * What the call UI renders ({@link CallSnapshot}), its value before anything happened, and the
 * comparisons that keep an unchanged part of it the same object (so memoised components skip it).
 */
import type { BackgroundStatus } from '../media/background';
import type { CallSessionOptions } from './callOptions';
import type { BackgroundChoice } from '../media/backgroundPreference';
import type { NoiseSuppressionStatus } from '../media/noiseSuppression';
import type { Sharer } from '../rtc/screenShareMachine';
import type { ClosedReason, SignalingStatus } from '../signaling/signalingClient';

/** A remote participant as the UI shows them. */
export interface RemoteParticipant {
  userId: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
  /** Their camera/microphone stream, once it arrived. */
  camera: MediaStream | null;
  /** Their screen stream while they are the room's sharer. */
  screen: MediaStream | null;
  connectionState: RTCPeerConnectionState | 'new';
}

/** Everything the call UI renders. */
export interface CallSnapshot {
  roomId: string;
  selfId: string;
  displayName: string;
  status: SignalingStatus;
  closedReason: ClosedReason | null;
  /** True once the first `joined` arrived. */
  joined: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  localStream: MediaStream | null;
  participants: RemoteParticipant[];
  /** The room's sharer as the server last said, or null. */
  sharer: Sharer | null;
  /** The stream the stage plays: ours while we share, else the sharer's screen when it arrived. */
  stageStream: MediaStream | null;
  /** Our own share: the button reads "Stop sharing" while true. */
  sharing: boolean;
  shareError: string | null;
  /** A camera or microphone stopped during the call (unplugged, taken by another app): what happened. */
  deviceNotice: string | null;
  activeSpeaker: string | null;
  /** How full the active speaker's level indicator is (0..1, in quarters: activeSpeaker.ts). */
  speakerLevel: number;
  resumeToken: string | null;
  /** RNNoise on the microphone (media/noiseSuppression.ts): off, starting, on or unavailable. */
  noiseSuppression: NoiseSuppressionStatus;
  /** Background blur or image on the camera (media/background.ts): off, starting, on or unavailable. */
  background: BackgroundStatus;
  /** The person's background choice (Off, Blur or an image). */
  backgroundChoice: BackgroundChoice;
  /** The camera as sent (processed while a background effect runs): the self view shows it. */
  sentCamera: MediaStream | null;
}

/** The snapshot of a call that has not connected yet. */
export function initialSnapshot(
  options: Pick<CallSessionOptions, 'roomId' | 'selfId' | 'displayName' | 'localStream' | 'audioMuted' | 'videoMuted'>,
): CallSnapshot {
  const { roomId, selfId, localStream } = options;
  const hasAudio = Boolean(localStream?.getAudioTracks().length);
  const hasVideo = Boolean(localStream?.getVideoTracks().length);
  return {
    roomId,
    selfId,
    displayName: options.displayName,
    status: 'connecting',
    closedReason: null,
    joined: false,
    audioMuted: options.audioMuted || !hasAudio,
    videoMuted: options.videoMuted || !hasVideo,
    hasAudio,
    hasVideo,
    localStream,
    participants: [],
    sharer: null,
    stageStream: null,
    sharing: false,
    shareError: null,
    deviceNotice: null,
    activeSpeaker: null,
    speakerLevel: 0,
    resumeToken: null,
    noiseSuppression: 'off',
    background: 'off',
    backgroundChoice: 'off',
    sentCamera: localStream,
  };
}

/** Whether two participant lists show the same thing (same people, same fields, same streams). */
export function sameParticipants(a: readonly RemoteParticipant[], b: readonly RemoteParticipant[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i];
    return (Object.keys(p) as (keyof RemoteParticipant)[]).every((key) => Object.is(p[key], q[key]));
  });
}

export function findScreen(screens: MediaStream[], streamId: string | null): MediaStream | undefined {
  if (streamId) return screens.find((s) => s.id === streamId);
  // A sharer that sent no stream id: its latest screen stream.
  return screens.at(-1);
}
