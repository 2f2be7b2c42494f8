/**
 * Our camera and microphone on one link: a sender per kind, made once (`addTrack`, or for the
 * camera of a link we offer on a transceiver made at its start limits) and then only given another
 * track (`replaceTrack`, no renegotiation). No React.
 */
import type { EncodingLimits } from './bandwidth';

/** Our senders towards one peer: camera, microphone and (screenTransceivers.ts) the screen's. */
export interface LocalSenders {
  audio?: RTCRtpSender;
  camera?: RTCRtpSender;
  screen?: RTCRtpSender;
}

/** How {@link attachCamera} makes a new camera sender. */
export interface CameraSenderOptions {
  /**
   * We offer on this link: the camera's transceiver is made with these limits (`sendEncodings`),
   * so that no setParameters follows the negotiation (a blocking call into WebRTC's signaling
   * thread, on the way of every link's first frame). An answer's camera goes through `addTrack`,
   * whose transceiver is the only kind a remote offer's m-line takes; its limits follow the
   * negotiation.
   */
  start?: EncodingLimits;
  /** A camera sender was made with `limits` (they need not be set again). */
  made?: (sender: RTCRtpSender, limits: EncodingLimits) => void;
  onError?: (error: unknown) => void;
}

/** Puts `stream`'s tracks (null: none) on `senders`, making the senders `pc` does not have yet. */
export function attachCamera(pc: RTCPeerConnection, senders: LocalSenders, stream: MediaStream | null, options: CameraSenderOptions = {}): void {
  for (const [kind, key] of [
    ['audio', 'audio'],
    ['video', 'camera'],
  ] as const) {
    const track = stream?.getTracks().find((t) => t.kind === kind) ?? null;
    const sender = senders[key];
    if (sender) {
      if (sender.track !== track) void sender.replaceTrack(track).catch(options.onError);
    } else if (track && stream && key === 'camera' && options.start) {
      senders.camera = addCamera(pc, track, stream, options.start, options.made);
    } else if (track && stream) {
      senders[key] = pc.addTrack(track, stream);
    }
  }
}

function addCamera(
  pc: RTCPeerConnection,
  track: MediaStreamTrack,
  stream: MediaStream,
  limits: EncodingLimits,
  made?: (sender: RTCRtpSender, limits: EncodingLimits) => void,
): RTCRtpSender {
  try {
    const { sender } = pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream], sendEncodings: [{ ...limits }] });
    made?.(sender, limits);
    return sender;
  } catch {
    // A browser that refuses these encodings: the limits follow the negotiation, as for an answer.
    return pc.addTrack(track, stream);
  }
}
