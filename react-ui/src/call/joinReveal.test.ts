import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialSnapshot, type CallSnapshot, type RemoteParticipant } from './callSnapshot';
import { callShowable, whenCallShowable, type RevealSource } from './joinReveal';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A received video track: muted until its first packet, then `unmute` fires. */
class FakeTrack extends EventTarget {
  readonly kind = 'video';
  muted = true;
  firstPacket(): void {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }
}

const stream = (track: FakeTrack) => ({ getVideoTracks: () => [track] }) as unknown as MediaStream;

function person(userId: string, patch: Partial<RemoteParticipant> = {}): RemoteParticipant {
  return { userId, displayName: userId, audioMuted: false, videoMuted: false, camera: null, screen: null, connectionState: 'new', ...patch };
}

function snapshotOf(patch: Partial<CallSnapshot>): CallSnapshot {
  const base = initialSnapshot({ roomId: 'r', selfId: 'me', displayName: 'Me', localStream: null, audioMuted: false, videoMuted: false });
  return { ...base, ...patch };
}

/** A session as whenCallShowable sees it, whose snapshot and lobby state the test sets. */
function source(first: CallSnapshot) {
  const listeners = new Set<() => void>();
  const host = { state: { waiting: false }, subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)) };
  const s = {
    snapshot: first,
    host,
    subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    set(next: CallSnapshot) {
      s.snapshot = next;
      for (const l of [...listeners]) l();
    },
    listeners,
  };
  return s satisfies RevealSource;
}

describe('callShowable', () => {
  it('waits for the server, then shows an empty room at once', () => {
    expect(callShowable(snapshotOf({}), false)).toBe(false);
    expect(callShowable(snapshotOf({ joined: true, status: 'joined' }), false)).toBe(true);
  });

  it('shows a refused join (the page says why) and the lobby at once', () => {
    expect(callShowable(snapshotOf({ status: 'closed' }), false)).toBe(true);
    expect(callShowable(snapshotOf({}), true)).toBe(true);
  });

  it('with others in the room, waits for the first camera that sends, or every link up when no camera is on', () => {
    const track = new FakeTrack();
    const others = [person('a', { camera: stream(track), connectionState: 'connecting' }), person('b')];
    expect(callShowable(snapshotOf({ joined: true, participants: others }), false)).toBe(false);
    track.firstPacket();
    expect(callShowable(snapshotOf({ joined: true, participants: others }), false)).toBe(true);

    const camerasOff = [person('a', { videoMuted: true, connectionState: 'connected' }), person('b', { videoMuted: true, connectionState: 'connecting' })];
    expect(callShowable(snapshotOf({ joined: true, participants: camerasOff }), false)).toBe(false);
    camerasOff[1] = { ...camerasOff[1], connectionState: 'connected' };
    expect(callShowable(snapshotOf({ joined: true, participants: camerasOff }), false)).toBe(true);
  });
});

describe('whenCallShowable', () => {
  it("shows on a camera's first packet, which changes no snapshot, once, and lets go of everything", () => {
    const track = new FakeTrack();
    const session = source(snapshotOf({}));
    const show = vi.fn();
    whenCallShowable(session, show);
    session.set(snapshotOf({ joined: true, participants: [person('a', { camera: stream(track) })] }));
    expect(show).not.toHaveBeenCalled();
    track.firstPacket();
    expect(show).toHaveBeenCalledTimes(1);
    expect(session.listeners.size).toBe(0);
    session.set(snapshotOf({ status: 'closed' }));
    vi.advanceTimersByTime(10_000);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('shows when the lobby holds us, and after the deadline when nothing comes', () => {
    const lobby = source(snapshotOf({}));
    const shownLobby = vi.fn();
    whenCallShowable(lobby, shownLobby);
    lobby.host.state = { waiting: true };
    for (const l of [...lobby.listeners]) l();
    expect(shownLobby).toHaveBeenCalledTimes(1);

    const slow = source(snapshotOf({ joined: true, participants: [person('a', { connectionState: 'connecting' })] }));
    const shownSlow = vi.fn();
    whenCallShowable(slow, shownSlow, 2000);
    vi.advanceTimersByTime(1999);
    expect(shownSlow).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(shownSlow).toHaveBeenCalledTimes(1);
  });

  it('shows nothing once cancelled (the page went)', () => {
    const track = new FakeTrack();
    const session = source(snapshotOf({ joined: true, participants: [person('a', { camera: stream(track) })] }));
    const show = vi.fn();
    whenCallShowable(session, show)();
    track.firstPacket();
    vi.advanceTimersByTime(10_000);
    expect(show).not.toHaveBeenCalled();
    expect(session.listeners.size).toBe(0);
  });
});
