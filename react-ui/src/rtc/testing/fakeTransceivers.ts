/**
 * The parts of the WebRTC fake (fakeWebRtc.ts) below the connection: senders, transceivers and the
 * JSON "SDP" of that model (an m-line per transceiver). Not a real WebRTC stack.
 */

import { FakeStream, FakeTrack } from './fakeMedia';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export const sends = (d: Direction) => d === 'sendrecv' || d === 'sendonly';
export const receives = (d: Direction) => d === 'sendrecv' || d === 'recvonly';
export const directionOf = (send: boolean, recv: boolean): Direction =>
  send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive';

export class FakeSender {
  streamIds: string[] = [];
  encodings: RTCRtpEncodingParameters[] = [];
  constructor(public track: FakeTrack | null) {}
  getParameters() {
    return { encodings: this.encodings.map((e) => ({ ...e })), transactionId: 't', codecs: [], headerExtensions: [], rtcp: {} };
  }
  async setParameters(params: { encodings: RTCRtpEncodingParameters[] }): Promise<void> {
    this.encodings = params.encodings.map((e) => ({ ...e }));
  }
  async replaceTrack(track: FakeTrack | null): Promise<void> {
    this.track = track;
    // A negotiated sender has one encoding (what getParameters shows in browsers).
    if (track && this.negotiated && this.encodings.length === 0) this.encodings = [{ active: true }];
  }
  /** The msid streams of the next description (no negotiation needed of its own here). */
  setStreams(...streams: FakeStream[]): void {
    this.streamIds = streams.map((s) => s.id);
  }
  negotiated = false;
}

export function codecsOf(t: FakeTransceiver): string[] | null {
  return t.codecPreferences?.map((codec) => codec.mimeType) ?? null;
}

export class FakeTransceiver {
  mid: string | null = null;
  negotiated = false;
  usedToSend = false;
  /** The direction put in our side of the last completed negotiation. */
  negotiatedDirection: Direction | null = null;
  /** What the remote said it does for this m-line last time (for the answer rule). */
  remoteOffered: Direction | null = null;
  remoteSending = false;
  /** 'stopped' once stop() was called (the only value of currentDirection this fake models). */
  currentDirection: 'stopped' | null = null;
  readonly receiver: { track: FakeTrack };
  /** What setCodecPreferences set (the m-lines of our descriptions list it as `codecs`). */
  codecPreferences: RTCRtpCodec[] | null = null;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly sender: FakeSender,
    public direction: Direction,
    readonly byAddTrack: boolean,
  ) {
    this.receiver = { track: new FakeTrack(kind, `remote-${kind}`) };
  }
  setCodecPreferences(codecs: RTCRtpCodec[]): void {
    this.codecPreferences = [...codecs];
  }
  /** Set for transceivers made by addTransceiver (see FakePeerConnection.stopTransceiver). */
  stop: () => void = () => {
    this.currentDirection = 'stopped';
  };
}

export interface MLine {
  mid: string;
  kind: 'audio' | 'video';
  direction: Direction;
  streamIds: string[];
  /** The codec preferences of the transceiver when the description was made (null: the defaults). */
  codecs?: string[] | null;
}
export interface FakeSdp {
  ufrag: string;
  mlines: MLine[];
}

export function parse(sdp: string): FakeSdp {
  return JSON.parse(sdp) as FakeSdp;
}

export function domError(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}
