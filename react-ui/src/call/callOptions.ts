/**
 * The settings a call (call/callSession.ts) is made with: the room and who we are, the first media state,
 * and the factories and intervals tests replace with fakes and short times; and the signaling
 * client made from them ({@link callSignaling}).
 */
import type { BackgroundEffectOptions } from '../media/background';
import type { Suppressor } from '../media/noiseSuppressor';
import type { PeerConnectionFactory, StreamFactory } from '../rtc/peerManager';
import type { BackoffOptions } from '../signaling/backoff';
import { SignalingClient, type WebSocketFactory } from '../signaling/signalingClient';
import type { CallSnapshot } from './callSnapshot';

/** Settings of a {@link CallSession}. */
export interface CallSessionOptions {
  roomId: string;
  selfId: string;
  displayName: string;
  localStream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  signalingUrl: string;
  createSocket?: WebSocketFactory;
  /** Reconnect delays (tests shorten them). */
  backoff?: BackoffOptions;
  createPeerConnection?: PeerConnectionFactory;
  /** Makes an empty MediaStream (tests pass a fake). */
  createStream?: StreamFactory;
  getDisplayMedia?: () => Promise<MediaStream>;
  /**
   * Opens one camera or microphone by device id, or the default one without (tests pass a fake;
   * default getUserMedia).
   */
  openDevice?: (kind: 'audio' | 'video', deviceId?: string) => Promise<MediaStream>;
  /** How often audio levels are read for the speaker highlight, in ms (0: never). */
  speakerPollMs?: number;
  /** How often connection quality is read, in ms (0: never; default quality/qualityMonitor.ts). */
  qualityPollMs?: number;
  /** The soonest fresh ICE servers are asked for after the last ones came, in ms (default a minute). */
  iceRefreshMinMs?: number;
  /** This browser's host token for the room (host/hostTokens.ts), sent with every `join`. */
  hostToken?: string;
  /** The meeting's password, sent with every `join`. */
  password?: string;
  /** Starts RNNoise and says whether the browser can (tests pass fakes; media/noiseSuppression.ts). */
  noiseSuppressor?: { start: () => Promise<Suppressor>; supported: () => boolean };
  /** The background effect's choice and processor (tests pass fakes; media/background.ts). */
  background?: Omit<BackgroundEffectOptions, 'onChange'>;
}

/**
 * The call's signaling client: every `join` (the first, and each after a reconnect) carries our
 * name and mute state as `state` has them then, and the host token and password of `options`.
 */
export function callSignaling(options: CallSessionOptions, state: () => CallSnapshot): SignalingClient {
  return new SignalingClient({
    url: options.signalingUrl,
    roomId: options.roomId,
    userId: options.selfId,
    joinFields: () => ({
      displayName: state().displayName,
      audioMuted: state().audioMuted,
      videoMuted: state().videoMuted,
      ...(options.hostToken ? { hostToken: options.hostToken } : {}),
      ...(options.password ? { password: options.password } : {}),
    }),
    createSocket: options.createSocket,
    backoff: options.backoff,
  });
}
