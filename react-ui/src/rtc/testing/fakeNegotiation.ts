/**
 * The JSEP rules of the WebRTC fake (fakeWebRtc.ts) on a connection's transceivers: the m-lines of
 * its offers and answers, matching a remote offer's m-lines, what a rollback undoes, and whether
 * negotiation is needed. Functions over the transceiver list; the connection keeps the signaling
 * state machine, the operations chain and ICE. Not a real WebRTC stack.
 */

import {
  codecsOf,
  directionOf,
  FakeSender,
  FakeTransceiver,
  receives,
  sends,
  type FakeSdp,
  type MLine,
} from './fakeTransceivers';

/** The m-lines of a new offer: one per transceiver, each given a mid (`newMid`) if it has none. */
export function offerLines(transceivers: FakeTransceiver[], newMid: () => string): MLine[] {
  return transceivers.map((t) => {
    if (t.mid === null) t.mid = newMid();
    return { mid: t.mid, kind: t.kind, direction: t.direction, streamIds: t.sender.streamIds, codecs: codecsOf(t) };
  });
}

/** The m-lines of our answer to `offer` (JSEP's answer rule); records what each one negotiated. */
export function answerLines(transceivers: FakeTransceiver[], offer: FakeSdp): MLine[] {
  return offer.mlines.map((line) => {
    const t = transceivers.find((x) => x.mid === line.mid)!;
    const direction = directionOf(sends(t.direction) && receives(line.direction), receives(t.direction) && sends(line.direction));
    t.negotiatedDirection = direction;
    t.remoteOffered = line.direction;
    t.negotiated = true;
    return { mid: line.mid, kind: line.kind, direction, streamIds: t.sender.streamIds, codecs: codecsOf(t) };
  });
}

/**
 * Gives each m-line of a remote offer its transceiver: the one with its mid, else an unassociated
 * addTrack one of the same kind, else a new recvonly one (added to `transceivers`). Returns the
 * next free mid number, at least `nextMid`.
 */
export function takeRemoteOffer(transceivers: FakeTransceiver[], offer: FakeSdp, nextMid: number): number {
  for (const line of offer.mlines) {
    let t = transceivers.find((x) => x.mid === line.mid);
    if (!t) {
      t = transceivers.find((x) => x.mid === null && x.byAddTrack && x.kind === line.kind);
      if (t) t.mid = line.mid;
    }
    if (!t) {
      t = new FakeTransceiver(line.kind, new FakeSender(null), 'recvonly', false);
      t.mid = line.mid;
      transceivers.push(t);
    }
    nextMid = Math.max(nextMid, Number(line.mid) + 1);
  }
  return nextMid;
}

/** The remote side answered our `offer`: the directions we offered are what was negotiated. */
export function takeAnswer(transceivers: FakeTransceiver[], offer: FakeSdp): void {
  for (const line of offer.mlines) {
    const t = transceivers.find((x) => x.mid === line.mid)!;
    t.negotiatedDirection = line.direction;
    t.remoteOffered = null;
    t.negotiated = true;
  }
}

/** Rolling back our own offer: mids that were never negotiated are un-assigned. */
export function rollBackLocalOffer(transceivers: FakeTransceiver[]): void {
  for (const t of transceivers) if (!t.negotiated) t.mid = null;
}

/**
 * Rolling back a remote offer: a transceiver it matched to an addTrack one loses that mid, one it
 * created goes away (negotiated ones stay as they were).
 */
export function rollBackRemoteOffer(transceivers: FakeTransceiver[]): void {
  for (let i = transceivers.length - 1; i >= 0; i--) {
    const t = transceivers[i];
    if (t.negotiated) continue;
    if (t.byAddTrack) t.mid = null;
    else transceivers.splice(i, 1);
  }
}

/** Whether the transceivers no longer match what was last negotiated (a new one, a new direction). */
export function transceiversNeedNegotiation(transceivers: FakeTransceiver[]): boolean {
  return transceivers.some((t) => {
    if (t.mid === null) return true;
    if (t.negotiatedDirection === null) return false;
    if (t.remoteOffered !== null) {
      // We answered last time: compare with what we could answer now.
      const wanted = directionOf(sends(t.direction) && receives(t.remoteOffered), receives(t.direction) && sends(t.remoteOffered));
      return wanted !== t.negotiatedDirection;
    }
    return t.direction !== t.negotiatedDirection;
  });
}
