/**
 * Fake MediaStream / MediaStreamTrack (and a tiny EventTarget) for tests in Node, used by the fake
 * RTCPeerConnection in ./fakeWebRtc.ts and by tests that need local media.
 */

let nextId = 1;
/** A fresh id with a prefix (unique within the test run). */
export const newId = (prefix: string) => `${prefix}${nextId++}`;

type Listener = (event: never) => void;

/** Just enough of EventTarget with `on<type>` properties. */
export class FakeEventTarget {
  private readonly listeners = new Map<string, Set<Listener>>();
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  /** Calls `on<type>` and the listeners of `type`. */
  dispatch(type: string, event: object): void {
    const handler = (this as unknown as Record<string, unknown>)[`on${type}`];
    if (typeof handler === 'function') handler.call(this, event);
    for (const listener of [...(this.listeners.get(type) ?? [])]) (listener as (e: object) => void)(event);
  }
}

/** A fake `MediaStreamTrack`. */
export class FakeTrack extends FakeEventTarget {
  readonly id = newId('track');
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  onended: (() => void) | null = null;
  constructor(readonly kind: 'audio' | 'video', readonly label: string = kind) {
    super();
  }
  /** Every `applyConstraints` asked of this track, in order. */
  readonly applied: MediaTrackConstraints[] = [];
  stop(): void {
    this.readyState = 'ended';
  }
  applyConstraints(constraints: MediaTrackConstraints): Promise<void> {
    this.applied.push(constraints);
    return Promise.resolve();
  }
  /** What the browser does when the user presses its own "stop sharing" bar. */
  endFromBrowser(): void {
    this.readyState = 'ended';
    this.dispatch('ended', {});
  }
}

/** A fake `MediaStream`. */
export class FakeStream extends FakeEventTarget {
  readonly tracks: FakeTrack[];
  onremovetrack: (() => void) | null = null;
  constructor(
    tracks: FakeTrack[] = [],
    readonly id = newId('stream'),
  ) {
    super();
    this.tracks = [...tracks];
  }
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: FakeTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }
  /** Removes a track the way the browser does for a remote stream, with a `removetrack` event. */
  removeTrackFromRemote(track: FakeTrack): void {
    const index = this.tracks.indexOf(track);
    if (index < 0) return;
    this.tracks.splice(index, 1);
    this.dispatch('removetrack', { track });
  }
}

/** A camera+microphone stream. */
export function fakeCameraStream(): FakeStream {
  return new FakeStream([new FakeTrack('audio', 'mic'), new FakeTrack('video', 'camera')]);
}
