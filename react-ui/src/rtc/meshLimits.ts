/**
 * The limits of one mesh's senders (a {@link SenderLimits}) from the room as the peer manager sees
 * it, with bandwidth.ts's policy: a new link's camera at its start limits, then the room's, lowered
 * towards someone whose connection is poor. No React.
 */
import { encodingLimits, startLimits, type EncodingLimits, type SenderRole } from './bandwidth';
import type { LocalSenders } from './cameraSenders';
import { SenderLimits } from './senderLimits';
import { lowerLimits } from '../quality/lowerLimits';

/** What the limits read of the mesh. */
export interface MeshView {
  senders: (userId: string) => LocalSenders | undefined;
  userIds: () => Iterable<string>;
  peerCount: () => number;
  camera: () => MediaStream | null;
  /** Whether anyone in the room shares a screen (the camera steps back then). */
  screenActive: () => boolean;
  /** Whether our video to `userId` is lowered (quality/qualityMonitor.ts). */
  lowered: (userId: string) => boolean;
  /** Whether any live link is negotiating. */
  negotiating: () => boolean;
}

/** The limits of every sender of the mesh `view` shows; a link's camera is raised `rampUpMs` after it connects. */
export function meshLimits(view: MeshView, rampUpMs: number): SenderLimits {
  const limitsFor = (role: SenderRole, rampedUp: boolean): EncodingLimits => {
    const height = view.camera()?.getVideoTracks()[0]?.getSettings?.().height;
    if (role === 'camera' && !rampedUp) return startLimits(height);
    return encodingLimits(role, view.peerCount(), view.screenActive(), height);
  };
  return new SenderLimits({
    rampUpMs,
    // The screen's sender too, before any share: set when a share starts, its first frames were
    // encoded while the encoder took the new limits (share switch 141 -> 228 ms, call_setup.py).
    senders: view.senders,
    userIds: view.userIds,
    limits: (role, rampedUp, userId) => {
      const limits = limitsFor(role, rampedUp);
      return view.lowered(userId) ? lowerLimits(role, limits) : limits;
    },
    // Not while any link negotiates (the last one to end calls all(), onStable): getParameters
    // and setParameters are blocking calls into WebRTC's signaling thread, which every link of
    // the page shares; made while it applies a description they held up the main thread, and
    // every link's offers, answers and candidates behind it (a fresh tab's join: up to 2.8 s in
    // applyEncodingLimits, in a CPU profile, mostly a ramp-up landing during the others' offers).
    ready: () => !view.negotiating(),
  });
}
