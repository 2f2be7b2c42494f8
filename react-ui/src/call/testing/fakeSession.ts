/** A started `CallSession` for page tests: the fake signaling server, fake peer connections and camera. */
import { CallSession } from '../callSession';
import { FakePeerConnection, fakeCameraStream, FakeStream } from '../../rtc/testing/fakeWebRtc';
import type { FakeSignalingServer } from './fakeServer';

/** `userId` joined to `server`'s room (named `displayName`, by default the id in capitals). */
export function fakeSession(server: FakeSignalingServer, userId: string, displayName = userId.toUpperCase()): CallSession {
  const session = new CallSession({
    roomId: server.roomId,
    selfId: userId,
    displayName,
    localStream: fakeCameraStream() as unknown as MediaStream,
    audioMuted: false,
    videoMuted: false,
    signalingUrl: 'ws://parley.test/ws',
    createSocket: server.createSocket,
    createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
    createStream: () => new FakeStream() as unknown as MediaStream,
    speakerPollMs: 0,
    qualityPollMs: 0,
  });
  session.start();
  return session;
}
