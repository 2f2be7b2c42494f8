/**
 * What in a call is worth a toast, read from successive call snapshots (pure: no timers, no DOM):
 * someone joined or left, our screen share was taken over, the connection to the meeting service
 * came back. Nothing is said about the people already there when we join.
 */
import type { CallSnapshot } from '../call/callSession';
import type { ToastMessage } from './toastQueue';

/** The parts of a snapshot the feedback reads. */
export type FeedbackSnapshot = Pick<CallSnapshot, 'selfId' | 'status' | 'joined' | 'sharer'> & {
  participants: readonly { userId: string; displayName: string }[];
};

/** Follows one call's snapshots and says what changed that people should be told. */
export class CallFeedback {
  private previous: FeedbackSnapshot | null = null;
  /** The connection to the meeting service dropped and has not come back yet. */
  private lost = false;

  /** The toasts that `snapshot` calls for, given the snapshots before it. */
  next(snapshot: FeedbackSnapshot): ToastMessage[] {
    const previous = this.previous;
    this.previous = snapshot;
    const toasts: ToastMessage[] = [];
    if (snapshot.status === 'reconnecting') this.lost = true;
    else if (snapshot.status === 'joined' && this.lost) {
      this.lost = false;
      toasts.push({ message: 'reconnected', kind: 'connection' });
    }
    if (!previous || !previous.joined || !snapshot.joined) return toasts;
    if (previous.participants !== snapshot.participants) {
      const before = new Set(previous.participants.map((p) => p.userId));
      const after = new Set(snapshot.participants.map((p) => p.userId));
      for (const p of snapshot.participants) if (!before.has(p.userId)) toasts.push({ message: 'joined', params: { name: p.displayName } });
      for (const p of previous.participants) if (!after.has(p.userId)) toasts.push({ message: 'left', params: { name: p.displayName } });
    }
    const self = snapshot.selfId;
    if (previous.sharer?.userId === self && snapshot.sharer && snapshot.sharer.userId !== self) {
      const name = snapshot.participants.find((p) => p.userId === snapshot.sharer?.userId)?.displayName;
      toasts.push(name ? { message: 'shareTakenOver', params: { name }, kind: 'share' } : { message: 'shareTakenOverSomeone', kind: 'share' });
    }
    return toasts;
  }
}
