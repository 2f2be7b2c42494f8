/**
 * The settings a call (call/callSession.ts) is made with: the room and who we are, the first media state,
 * and the factories and intervals tests replace with fakes and short times.
 */
import type { BackgroundEffectOptions } from '../media/background';
import type { Suppressor } from '../media/noiseSuppressor';
import type { PeerConnectionFactory, StreamFactory } from '../rtc/peerManager';
import type { BackoffOptions } from '../signaling/backoff';
import type { WebSocketFactory } from '../signaling/signalingClient';

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
