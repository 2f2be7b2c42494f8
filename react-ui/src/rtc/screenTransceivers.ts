/**
 * Our screen's video and sound transceivers on every link, negotiated with the link (the offerer
 * makes them, the answerer takes the offer's): starting or stopping a share is a `replaceTrack` on
 * each, with no renegotiation. Their senders always name one stream (`streamId`, the same on every
 * link for the whole call), the id `startScreenShare` announces, so receivers tell the screen from
 * the camera. Each link's m-lines are audio, camera video, screen video, screen audio, in that
 * order; a video or audio transceiver other than the first of its kind is the screen's. No React.
 */
import { safely } from './safely';
import type { LimitedSenders } from './senderLimits';

/** What this module keeps in a peer's record. */
export interface ScreenSlot {
  /** The transceiver our screen goes out on towards this peer, once the link has one. */
  screen?: RTCRtpTransceiver;
  /** The transceiver our screen's sound (a tab's or the system's) goes out on, once the link has one. */
  screenAudio?: RTCRtpTransceiver;
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

  /** The screen's sound we send, if the share has any. */
  audioTrack(): MediaStreamTrack | null {
    return this.stream?.getAudioTracks()[0] ?? null;
  }

  /**
   * Puts the current screen tracks on the slot's transceivers; false when a track we send has no
   * transceiver there yet (the link was negotiated by a client older than this design).
   */
  send(slot: ScreenSlot): boolean {
    if (slot.screen) replaceTrack(slot.screen.sender, this.track());
    if (slot.screenAudio) replaceTrack(slot.screenAudio.sender, this.audioTrack());
    return Boolean(slot.screen) && (Boolean(slot.screenAudio) || this.audioTrack() === null);
  }

  /** The screen transceivers of our own the slot lacks (we offer, or the other side's offer had none). */
  add(slot: ScreenSlot, pc: RTCPeerConnection): void {
    for (const kind of ['video', 'audio'] as const) {
      if (kind === 'video' ? slot.screen : slot.screenAudio) continue;
      let transceiver: RTCRtpTransceiver | null = null;
      safely(() => {
        transceiver = pc.addTransceiver(kind, { direction: 'sendrecv', streams: [this.msid] });
      });
      if (transceiver) this.use(slot, transceiver, kind);
    }
  }

  /**
   * After a remote offer was applied, before we answer: the offer's screen m-line (its second
   * video m-line) is where our screen goes. Setting its direction and stream here puts them in
   * this answer, so the screen needs no negotiation of its own later.
   */
  adopt(slot: ScreenSlot, pc: RTCPeerConnection): void {
    for (const kind of ['video', 'audio'] as const) {
      const current = kind === 'video' ? slot.screen : slot.screenAudio;
      if (current && current.mid !== null) continue;
      const offered = transceiversOf(pc, kind)[1];
      if (!offered || offered === current) continue;
      // Ours lost its m-line (we rolled our offer back in glare): it would only add a useless one.
      if (current) safely(() => current.stop());
      safely(() => {
        offered.direction = 'sendrecv';
        offered.sender.setStreams(this.msid);
      });
      this.use(slot, offered, kind);
    }
  }

  private use(slot: ScreenSlot, transceiver: RTCRtpTransceiver, kind: 'video' | 'audio'): void {
    if (kind === 'audio') {
      slot.screenAudio = transceiver;
      replaceTrack(transceiver.sender, this.audioTrack());
      return;
    }
    slot.screen = transceiver;
    slot.senders.screen = transceiver.sender;
    replaceTrack(transceiver.sender, this.track());
  }
}

/** The connection's negotiated video transceivers, in m-line order: camera, then screen. */
export function videoTransceivers(pc: RTCPeerConnection): RTCRtpTransceiver[] {
  return transceiversOf(pc, 'video');
}

/** The connection's negotiated transceivers of one kind, in m-line order: the camera's or microphone's, then the screen's. */
export function transceiversOf(pc: RTCPeerConnection, kind: 'audio' | 'video'): RTCRtpTransceiver[] {
  // getTransceivers() lists them in the order they were made; transceivers that a remote offer made
  // come in its m-line order, after our own addTrack ones that its first m-lines took.
  return pc
    .getTransceivers()
    .filter((t) => t.mid !== null && t.currentDirection !== 'stopped' && t.receiver.track.kind === kind);
}

function replaceTrack(sender: RTCRtpSender, track: MediaStreamTrack | null): void {
  if (sender.track === track) return;
  // Rejects only when the connection closed meanwhile.
  void sender.replaceTrack(track).catch(() => undefined);
}
