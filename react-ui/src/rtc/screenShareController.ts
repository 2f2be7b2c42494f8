/**
 * Runs the screen-share state machine against the browser and the network: it calls
 * `getDisplayMedia`, hands the screen stream to the peer manager, sends `startScreenShare` /
 * `stopScreenShare`, and listens for the browser's own "stop sharing" (the track's `ended`). The
 * decisions stay in the pure {@link screenShareReducer}. No React.
 */
import type { ClientMessage, ServerMessage } from '../signaling/messages';
import { i18n } from '../i18n';
import { classifyMediaError } from '../media/localMedia';
import {
  initialScreenShareState,
  screenShareReducer,
  type ScreenShareEvent,
  type ScreenShareState,
} from './screenShareMachine';

/** What the controller needs from the outside. */
export interface ScreenShareControllerOptions {
  selfId: string;
  roomId: string;
  send: (message: ClientMessage) => void;
  /** Opens the browser's screen picker (must be called during the click). */
  getDisplayMedia: () => Promise<MediaStream>;
  /** Sends the screen to every peer (a stream) or stops sending it (null). */
  publish: (stream: MediaStream | null) => void;
  /**
   * The stream id receivers will see the published screen under (`startScreenShare.streamId`);
   * by default the captured stream's own id.
   */
  streamIdOf?: (stream: MediaStream) => string;
  /** The state changed. */
  onChange: (state: ScreenShareState) => void;
}

/** The screen-share side effects of one call. */
export class ScreenShareController {
  private stateValue: ScreenShareState;
  private captured: MediaStream | null = null;
  private readonly options: ScreenShareControllerOptions;

  constructor(options: ScreenShareControllerOptions) {
    this.options = options;
    this.stateValue = initialScreenShareState(options.selfId);
  }

  /** The machine's current state. */
  get state(): ScreenShareState {
    return this.stateValue;
  }

  /** Our own screen stream while we share (for our own stage). */
  get localStream(): MediaStream | null {
    return this.captured;
  }

  /** The user pressed Share screen. */
  start(): void {
    this.dispatch({ type: 'startClicked' });
  }

  /** The user pressed Stop sharing. */
  stop(): void {
    this.dispatch({ type: 'stopClicked' });
  }

  /** The user closed the error message. */
  dismissError(): void {
    this.dispatch({ type: 'errorDismissed' });
  }

  /** Feeds a server message; ignores the ones that are not about screen sharing. */
  handle(message: ServerMessage): void {
    if (message.type === 'joined') {
      const { screenSharer, screenStreamId } = message.payload;
      this.dispatch({ type: 'snapshot', sharer: screenSharer, streamId: screenStreamId });
    } else if (message.type === 'screenShareActive') {
      const { sharingUserId, streamId } = message.payload;
      this.dispatch({ type: 'granted', userId: sharingUserId, streamId });
    } else if (message.type === 'screenShareStopped') {
      this.dispatch({ type: 'stopped', userId: message.payload.stoppedUserId });
    }
  }

  /** Stops capturing without telling anyone (leaving the call: the server clears the share). */
  dispose(): void {
    this.release(this.captured);
    this.captured = null;
  }

  private dispatch(event: ScreenShareEvent): void {
    const { state, effects } = screenShareReducer(this.stateValue, event);
    this.stateValue = state;
    const { selfId: userId, roomId } = this.options;
    for (const effect of effects) {
      switch (effect.type) {
        case 'requestCapture':
          this.capture();
          break;
        case 'publish':
          if (this.captured) this.options.publish(this.captured);
          break;
        case 'unpublish':
          this.options.publish(null);
          this.release(this.captured);
          this.captured = null;
          break;
        case 'sendStart':
          this.options.send({ type: 'startScreenShare', payload: { userId, roomId, streamId: effect.streamId } });
          break;
        case 'sendStop':
          this.options.send({ type: 'stopScreenShare', payload: { userId, roomId } });
          break;
      }
    }
    this.options.onChange(this.stateValue);
  }

  private capture(): void {
    let request: Promise<MediaStream>;
    try {
      request = this.options.getDisplayMedia();
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (stream) => {
        const track = stream.getVideoTracks()[0];
        if (!track) {
          this.release(stream);
          this.dispatch({ type: 'captureFailed', cancelled: false, message: i18n.t('errors:share.noVideo') });
          return;
        }
        // Text and lines matter more than motion on a shared screen (encoder hint).
        if ('contentHint' in track) track.contentHint = 'detail';
        // The browser's own "Stop sharing" bar ends the track.
        track.addEventListener('ended', () => {
          if (this.captured === stream) this.dispatch({ type: 'trackEnded' });
        });
        if (this.stateValue.phase === 'requesting' && !this.stateValue.cancelRequested) {
          this.release(this.captured);
          this.captured = stream;
        } else {
          this.release(stream);
        }
        this.dispatch({ type: 'captureStarted', streamId: this.options.streamIdOf?.(stream) ?? stream.id });
      },
      (error: unknown) => {
        // NotAllowedError is also what a cancelled picker gives: no scary message for it.
        const problem = classifyMediaError(error);
        this.dispatch({
          type: 'captureFailed',
          cancelled: problem === 'denied',
          message: i18n.t(problem === 'inUse' ? 'errors:share.busy' : 'errors:share.unavailable'),
        });
      },
    );
  }

  private release(stream: MediaStream | null): void {
    for (const track of stream?.getTracks() ?? []) track.stop();
  }
}
