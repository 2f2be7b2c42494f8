/**
 * The fields of every message and payload part, as runtime tables (`'required'` / `'optional'`):
 * checked against the types of messages.ts by TypeScript (`satisfies`) and against
 * `docs/protocol.md` by `protocolDocument.test.ts`; messages.ts re-exports them.
 */
import type {
  ClientMessageType,
  ClientPayloads,
  ServerMessageType,
  ServerPayloads,
  WireCandidate,
  WireChatMessage,
  WireIceServer,
  WireRoomView,
  WireSdp,
  WireSfuStream,
  WireUser,
  WireWaitingUser,
} from './messages';

/** Whether each field of `T` must be there (`'required'`) or may be left out (`'optional'`). */
export type FieldSpec<T> = { [F in keyof T]-?: {} extends Pick<T, F> ? 'optional' : 'required' };

/** Every client message type and its fields (docs/protocol.md, "Client message fields"). */
export const CLIENT_MESSAGE_FIELDS = {
  join: {
    roomId: 'required',
    userId: 'required',
    displayName: 'optional',
    resumeToken: 'optional',
    audioMuted: 'optional',
    videoMuted: 'optional',
    hostToken: 'optional',
    password: 'optional',
  },
  offer: { sdp: 'required', targetId: 'required' },
  answer: { sdp: 'required', targetId: 'required' },
  iceCandidate: { candidate: 'required', targetId: 'required' },
  startScreenShare: { userId: 'required', roomId: 'required', streamId: 'optional' },
  stopScreenShare: { userId: 'required', roomId: 'required' },
  mediaState: { audioMuted: 'required', videoMuted: 'required' },
  refreshIceServers: {},
  chat: { text: 'required', targetId: 'optional' },
  hand: { raised: 'required' },
  reaction: { emoji: 'required' },
  recording: { active: 'required' },
  roomSettings: { lobby: 'optional', locked: 'optional', password: 'optional' },
  admit: { userId: 'required' },
  deny: { userId: 'required' },
  removeUser: { targetId: 'required' },
  muteRequest: { targetId: 'optional' },
  lowerHand: { targetId: 'required' },
  setRole: { targetId: 'required', role: 'required' },
  endMeeting: {},
  sfuOffer: { pc: 'required', sdp: 'required' },
  sfuAnswer: { pc: 'required', sdp: 'required' },
  sfuCandidate: { pc: 'required', candidate: 'required' },
  sfuLayer: { userId: 'required', layer: 'required' },
} as const satisfies { [K in ClientMessageType]: FieldSpec<ClientPayloads[K]> };

/** A chat message's fields: the `chat` message and the items of `joined.chat` are the same. */
const CHAT_MESSAGE_FIELDS = {
  messageId: 'required',
  senderId: 'required',
  displayName: 'required',
  text: 'required',
  sentAt: 'required',
  targetId: 'optional',
} as const satisfies FieldSpec<WireChatMessage>;

/** A user's fields: `userJoined` and the items of `joined.users` are the same. */
const USER_FIELDS = {
  userId: 'required',
  displayName: 'required',
  audioMuted: 'required',
  videoMuted: 'required',
  handRaisedAt: 'required',
  role: 'required',
  recording: 'required',
} as const satisfies FieldSpec<WireUser>;

/** Every server message type and its fields (docs/protocol.md, "Server message fields"). */
export const SERVER_MESSAGE_FIELDS = {
  joined: {
    roomId: 'required',
    userId: 'required',
    users: 'required',
    screenSharer: 'required',
    screenStreamId: 'required',
    iceServers: 'required',
    resumeToken: 'required',
    chat: 'required',
    role: 'required',
    room: 'required',
    waiting: 'required',
    topology: 'required',
  },
  userJoined: USER_FIELDS,
  userLeft: { userId: 'required' },
  offer: { sdp: 'required', senderId: 'required' },
  answer: { sdp: 'required', senderId: 'required' },
  iceCandidate: { candidate: 'required', senderId: 'required' },
  screenShareActive: { sharingUserId: 'required', streamId: 'required' },
  screenShareStopped: { stoppedUserId: 'required' },
  mediaState: { userId: 'required', audioMuted: 'required', videoMuted: 'required' },
  iceServers: { iceServers: 'required' },
  error: { code: 'required', message: 'required' },
  chat: CHAT_MESSAGE_FIELDS,
  hand: { userId: 'required', raised: 'required', raisedAt: 'required' },
  reaction: { userId: 'required', emoji: 'required' },
  role: { userId: 'required', role: 'required' },
  recording: { userId: 'required', active: 'required' },
  roomSettings: { lobby: 'required', locked: 'required', passwordRequired: 'required' },
  waiting: {},
  knock: { userId: 'required', displayName: 'required' },
  knockCancelled: { userId: 'required' },
  muteRequest: { by: 'required' },
  removed: { by: 'required' },
  meetingEnded: { by: 'required' },
  topology: { mode: 'required' },
  sfuOffer: { pc: 'required', sdp: 'required', streams: 'required' },
  sfuAnswer: { pc: 'required', sdp: 'required' },
  sfuCandidate: { pc: 'required', candidate: 'required' },
  sfuRestart: {},
} as const satisfies { [K in ServerMessageType]: FieldSpec<ServerPayloads[K]> };

/** The parts payloads are made of (docs/protocol.md, "Payload parts"). */
export const PART_FIELDS = {
  sdp: { type: 'required', sdp: 'optional' },
  candidate: { candidate: 'required', sdpMid: 'optional', sdpMLineIndex: 'optional', usernameFragment: 'optional' },
  user: USER_FIELDS,
  chatMessage: CHAT_MESSAGE_FIELDS,
  iceServer: { urls: 'required', username: 'optional', credential: 'optional' },
  roomView: { lobby: 'required', locked: 'required', passwordRequired: 'required' },
  waitingUser: { userId: 'required', displayName: 'required' },
  sfuStream: { mid: 'required', userId: 'required', kind: 'required' },
} as const satisfies {
  sdp: FieldSpec<WireSdp>;
  candidate: FieldSpec<WireCandidate>;
  user: FieldSpec<WireUser>;
  roomView: FieldSpec<WireRoomView>;
  waitingUser: FieldSpec<WireWaitingUser>;
  chatMessage: FieldSpec<WireChatMessage>;
  iceServer: FieldSpec<WireIceServer>;
  sfuStream: FieldSpec<WireSfuStream>;
};
