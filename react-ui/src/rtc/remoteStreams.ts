/**
 * The streams one peer sends us, told apart by the m-line they came on: the camera's (with the
 * microphone) on the first video and audio m-lines, screens (with their sound) on any later one
 * (screenTransceivers.ts). No React.
 */
import { transceiversOf } from './screenTransceivers';

/** A stream a peer sends us, and whether it came on a screen m-line. */
interface RemoteStream {
  stream: MediaStream;
  screen: boolean;
}

/** The remote streams of one peer, by stream id. */
export class RemoteStreams {
  private readonly streams = new Map<string, RemoteStream>();
  private readonly onChange: () => void;

  /** `onChange` runs when a stream arrives or loses a track. */
  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  /** A remote track arrived on `pc`, the peer's connection. */
  trackArrived(pc: RTCPeerConnection, event: RTCTrackEvent): void {
    // Any m-line after the first of its kind (the camera's, the microphone's) carries a screen or its sound.
    const kind = event.track.kind === 'audio' ? 'audio' : 'video';
    const screen = transceiversOf(pc, kind)[0] !== event.transceiver;
    for (const stream of event.streams) {
      if (this.streams.has(stream.id)) continue;
      this.streams.set(stream.id, { stream, screen });
      // A screen share that ends removes its track from the remote stream.
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.streams.delete(stream.id);
        this.onChange();
      });
    }
    this.onChange();
  }

  /** The camera (and microphone) stream, once it arrived. */
  camera(): MediaStream | null {
    for (const entry of this.streams.values()) if (!entry.screen) return entry.stream;
    return null;
  }

  /** The screen streams (one, received from the start of the link; it carries frames only while they share). */
  screens(): MediaStream[] {
    return [...this.streams.values()].filter((e) => e.screen).map((e) => e.stream);
  }

  /** Camera first, then the screens. */
  all(): MediaStream[] {
    const camera = this.camera();
    return [...(camera ? [camera] : []), ...this.screens()];
  }
}
