/**
 * The camera and microphone a call sends, while the call goes on: switching to another device,
 * and carrying on with the default one when a device stops by itself (unplugged, taken by another
 * app). The new track goes out with `replaceTrack` on every connection (the peer manager's
 * `setCameraStream`), so nothing is renegotiated. No React.
 */
import { i18n } from '../i18n';
import { rememberDevice } from '../media/devicePreferences';
import { openDevice, stopStream } from '../media/localMedia';

type Kind = 'audio' | 'video';

/** What {@link LocalDevices} works with. */
export interface LocalDevicesOptions {
  /** The stream the call sends now. */
  current: () => MediaStream | null;
  /** The call sends `stream` from now on (to every peer, in the self view, mute state applied). */
  publish: (stream: MediaStream) => void;
  /** Something to tell the person (null: nothing any more). */
  notify: (notice: string | null) => void;
  /** Whether the call has ended (nothing to switch then). */
  ended: () => boolean;
  /** Opens one device, or the default one without an id (tests pass a fake). */
  open?: (kind: Kind, deviceId?: string) => Promise<MediaStream>;
  /** Makes an empty MediaStream (tests pass a fake). */
  createStream?: () => MediaStream;
}

/** Device changes of one call. */
export class LocalDevices {
  private readonly options: LocalDevicesOptions;

  constructor(options: LocalDevicesOptions) {
    this.options = options;
    for (const track of options.current()?.getTracks() ?? []) this.watch(track);
  }

  /**
   * Switches to another camera or microphone: only for a kind we already send; rejects as
   * getUserMedia does, leaving the old device on. The choice is remembered for the next call.
   */
  async switch(kind: Kind, deviceId: string): Promise<void> {
    await this.replace(kind, deviceId);
    rememberDevice(kind, deviceId);
  }

  /**
   * Opens the device of `kind` in use again (its constraints changed: the browser's own noise
   * suppression follows RNNoise's switch) and sends it instead; rejects as getUserMedia does.
   */
  async reopen(kind: Kind): Promise<void> {
    const old = this.options.current()?.getTracks().filter((t) => t.kind === kind) ?? [];
    const deviceId = old[0]?.getSettings?.().deviceId;
    // Chromium gives a second capture of a device still open the first one's audio processing:
    // the old track stops first (a moment of silence), or the new constraints would not apply.
    for (const t of old) t.stop();
    try {
      await this.replace(kind, deviceId || undefined);
    } catch (error) {
      this.options.notify(i18n.t(`errors:device.lost_${kind === 'audio' ? 'microphone' : 'camera'}`));
      throw error;
    }
  }

  /** Opens `deviceId` (or the default device) and sends it instead of the current track of `kind`. */
  private async replace(kind: Kind, deviceId?: string): Promise<MediaStreamTrack | null> {
    const { current, ended } = this.options;
    const before = current();
    const old = before?.getTracks().filter((t) => t.kind === kind) ?? [];
    if (!before || old.length === 0 || ended()) return null;
    const opened = await (this.options.open ?? openDevice)(kind, deviceId);
    const track = opened.getTracks().find((t) => t.kind === kind);
    if (!track || ended() || current() !== before) {
      stopStream(opened);
      return null;
    }
    const stream = (this.options.createStream ?? (() => new MediaStream()))();
    for (const kept of [...before.getTracks().filter((t) => t.kind !== kind), track]) stream.addTrack(kept);
    this.options.notify(null);
    this.options.publish(stream);
    for (const t of old) t.stop();
    this.watch(track);
    return track;
  }

  /** A track that ends by itself is replaced by the default device, and the person is told. */
  private watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (this.options.ended() || !this.options.current()?.getTracks().includes(track)) return;
      const what = track.kind === 'audio' ? 'microphone' : 'camera';
      this.replace(track.kind as Kind).then(
        (fresh) => {
          if (!fresh) return;
          const key = fresh.label ? `errors:device.replacedNamed_${what}` : `errors:device.replaced_${what}`;
          this.options.notify(i18n.t(key, { label: fresh.label }));
        },
        () => this.options.notify(i18n.t(`errors:device.lost_${what}`)),
      );
    });
  }
}
