/**
 * Our screen's video transceiver on every link, negotiated with the link (the offerer makes it, the
 * answerer takes the offer's): starting or stopping a share is a `replaceTrack` on each, with no
 * renegotiation. Its sender always names one stream (`streamId`, the same on every link for the
 * whole call), the id `startScreenShare` announces, so receivers tell the screen from the camera.
 * Each link's m-lines are audio, camera video, screen video, in that order; a video transceiver
 * other than the first is a screen. No React.
 */
import { safely } from './safely';
import type { LimitedSenders } from './senderLimits';

/** What this module keeps in a peer's record. */
export interface ScreenSlot {
  /** The transceiver our screen goes out on towards this peer, once the link has one. */
  screen?: RTCRtpTransceiver;
  /** Our senders towards this peer: the screen's is set with its transceiver. */
  readonly senders: LimitedSenders;
}

/** The screen we send (if any) and the stream id it goes under, for every link of one call. */
export class ScreenTransceivers {
  private msidStream: MediaStream | null = null;
  private stream: MediaStream | null = null;
  private readonly createStream: () => MediaStream;

  constructor(createStream: () => MediaStream) {
    this.createStream = createStream;
  }

  /** The id of the stream our screen senders name on every link; the same for the whole call. */
  get streamId(): string {
    return this.msid.id;
  }

  private get msid(): MediaStream {
    this.msidStream ??= this.createStream();
    return this.msidStream;
  }

  /** Sets the screen to send (null: none); false when it is the one already set. */
  setStream(stream: MediaStream | null): boolean {
    if (stream === this.stream) return false;
    this.stream = stream;
    return true;
  }

  /** The screen track we send, if any. */
  track(): MediaStreamTrack | null {
    return this.stream?.getVideoTracks()[0] ?? null;
  }

  /** Puts the current screen track on the slot's transceiver; false when it has none yet. */
  send(slot: ScreenSlot): boolean {
    if (!slot.screen) return false;
    replaceTrack(slot.screen.sender, this.track());
    return true;
  }

  /** A screen transceiver of our own (we offer, or the other side's offer had none). */
  add(slot: ScreenSlot, pc: RTCPeerConnection): void {
    let transceiver: RTCRtpTransceiver | null = null;
    safely(() => {
      transceiver = pc.addTransceiver('video', { direction: 'sendrecv', streams: [this.msid] });
    });
    if (transceiver) this.use(slot, transceiver);
  }

  /**
   * After a remote offer was applied, before we answer: the offer's screen m-line (its second
   * video m-line) is where our screen goes. Setting its direction and stream here puts them in
   * this answer, so the screen needs no negotiation of its own later.
   */
  adopt(slot: ScreenSlot, pc: RTCPeerConnection): void {
    const current = slot.screen;
    if (current && current.mid !== null) return;
    const offered = videoTransceivers(pc)[1];
    if (!offered || offered === current) return;
    // Ours lost its m-line (we rolled our offer back in glare): it would only add a useless one.
    if (current) safely(() => current.stop());
    safely(() => {
      offered.direction = 'sendrecv';
      offered.sender.setStreams(this.msid);
    });
    this.use(slot, offered);
  }

  private use(slot: ScreenSlot, transceiver: RTCRtpTransceiver): void {
    slot.screen = transceiver;
    slot.senders.screen = transceiver.sender;
    replaceTrack(transceiver.sender, this.track());
  }
}

/** The connection's negotiated video transceivers, in m-line order: camera, then screen. */
export function videoTransceivers(pc: RTCPeerConnection): RTCRtpTransceiver[] {
  // getTransceivers() lists them in the order they were made; transceivers that a remote offer made
  // come in its m-line order, after our own addTrack ones that its first m-lines took.
  return pc
    .getTransceivers()
    .filter((t) => t.mid !== null && t.currentDirection !== 'stopped' && t.receiver.track.kind === 'video');
}

function replaceTrack(sender: RTCRtpSender, track: MediaStreamTrack | null): void {
  if (sender.track === track) return;
  // Rejects only when the connection closed meanwhile.
  void sender.replaceTrack(track).catch(() => undefined);
}
