/**
 * What a call sends of our camera and microphone: the local stream, its camera through the
 * background effect and its microphone through RNNoise while they run, with the mute state on its
 * tracks; the devices switched during the call (localDevices.ts); and the microphone reopened when
 * its browser noise suppression no longer fits. No React.
 */
import { i18n } from '../i18n';
import { BackgroundEffect } from '../media/background';
import { NoiseSuppression } from '../media/noiseSuppression';
import type { CallSessionOptions } from './callOptions';
import type { CallSnapshot } from './callSnapshot';
import { LocalDevices } from './localDevices';

/** What {@link OutgoingMedia} works with. */
export interface OutgoingMediaOptions extends Pick<CallSessionOptions, 'createStream' | 'openDevice' | 'noiseSuppressor' | 'background'> {
  /** The call's snapshot now (the local stream, the mute state, the background's status). */
  snapshot: () => CallSnapshot;
  /** Changes the call's snapshot. */
  update: (patch: Partial<CallSnapshot>) => void;
  /** Sends `stream` to everyone (the mesh or the SFU, mediaRoute.ts). */
  send: (stream: MediaStream | null) => void;
  /** The stream sent was made anew (sent, and in the snapshot). */
  onSent: () => void;
  /** Whether the call has ended. */
  ended: () => boolean;
}

/** The camera and microphone one call sends. */
export class OutgoingMedia {
  /** Background blur or image on the camera; its output goes into RNNoise's stream (send). */
  readonly background: BackgroundEffect;
  /** RNNoise on the microphone, and the stream sent (the local one, or it with the processed microphone). */
  readonly noise: NoiseSuppression;
  readonly devices: LocalDevices;
  private readonly options: OutgoingMediaOptions;
  private stream: MediaStream | null = null;
  private reopeningMicrophone = false;

  constructor(options: OutgoingMediaOptions) {
    this.options = options;
    const { snapshot, update } = options;
    this.applyTrackEnabled();
    this.background = new BackgroundEffect({
      ...options.background,
      onChange: () => {
        const was = snapshot().background;
        this.send();
        // It stopped (or never started): the raw camera goes out, and the person is told so.
        if (snapshot().background === 'unavailable' && was !== 'unavailable') {
          update({ deviceNotice: i18n.t('background:unavailable') });
        }
      },
    });
    this.noise = new NoiseSuppression({
      ...options.noiseSuppressor,
      deferred: true,
      onChange: () => {
        this.send();
        this.matchMicrophone();
      },
    });
    this.send();
    this.devices = new LocalDevices({
      current: () => snapshot().localStream,
      publish: (stream) => {
        update({ localStream: stream });
        this.send();
      },
      notify: (notice) => update({ deviceNotice: notice }),
      ended: options.ended,
      open: options.openDevice,
      createStream: options.createStream,
    });
  }

  /** The stream sent now (null before the first, or without a local stream). */
  get sent(): MediaStream | null {
    return this.stream;
  }

  /** Applies the snapshot's mute state to the local and the sent tracks. */
  applyTrackEnabled(): void {
    const { localStream, audioMuted, videoMuted } = this.options.snapshot();
    for (const stream of [localStream, this.stream]) {
      for (const track of stream?.getAudioTracks() ?? []) track.enabled = !audioMuted;
      for (const track of stream?.getVideoTracks() ?? []) track.enabled = !videoMuted;
    }
  }

  /** Sends the local stream to everyone, its microphone through RNNoise while that runs. */
  send(): void {
    if (this.options.ended()) return;
    const camera = this.background.sendable(this.options.snapshot().localStream, this.options.createStream);
    this.stream = this.noise.sendable(camera, this.options.createStream);
    this.applyTrackEnabled();
    this.options.send(this.stream);
    this.options.update({
      noiseSuppression: this.noise.status,
      background: this.background.status,
      backgroundChoice: this.background.choice,
      sentCamera: this.stream,
    });
    this.options.onSent();
  }

  /** The call ended: RNNoise and the background effect stop. */
  close(): void {
    this.noise.close();
    this.background.close();
  }

  /** Reopens the microphone when its browser noise suppression no longer fits (RNNoise switched, or failed). */
  private matchMicrophone(): void {
    const microphone = this.options.snapshot().localStream?.getAudioTracks()[0];
    if (this.options.ended() || this.reopeningMicrophone || !this.noise.needsReopen(microphone)) return;
    this.reopeningMicrophone = true;
    this.devices
      .reopen('audio')
      .catch((error: unknown) => console.warn('[parley] microphone not reopened:', error))
      .finally(() => {
        this.reopeningMicrophone = false;
        // Switched again meanwhile: reopen once more.
        this.matchMicrophone();
      });
  }
}
