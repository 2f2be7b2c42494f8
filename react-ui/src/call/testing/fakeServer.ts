/**
 * A small in-memory model of the Parley signaling server for client tests: it speaks the messages
 * of docs/protocol.md over {@link FakeWebSocket}s (join/joined, userJoined/userLeft, relay,
 * screen-share arbitration, mediaState, resume with a token, room size). It is a model for the
 * client's tests, not the server; deliveries are asynchronous (one task each) and ordered.
 */
import type { ClientMessage, ServerMessage, WireIceServer, WireUser } from '../../signaling/messages';
import { FakeWebSocket } from '../../signaling/testing/fakeWebSocket';
import { GUEST_OF_OPEN_ROOM } from '../../signaling/testing/wire';

interface Member extends WireUser {
  socket: FakeWebSocket;
  token: string;
}

/** One room's worth of server. */
export class FakeSignalingServer {
  readonly members = new Map<string, Member>();
  sharer: { userId: string; streamId: string | null } | null = null;
  /** Sockets ever opened, in order. */
  readonly sockets: FakeWebSocket[] = [];
  private tokens = 0;

  /** How many `refreshIceServers` the server answered. */
  iceRefreshes = 0;

  /**
   * `turnTtlSeconds`: hand out a TURN server whose credentials expire that many seconds after
   * each `joined` or `iceServers` (the REST API scheme: `username` is `<expiry>:<userId>`).
   */
  constructor(
    readonly roomId: string,
    readonly maxRoomSize = 6,
    readonly turnTtlSeconds: number | null = null,
  ) {}

  private iceServersFor(userId: string): WireIceServer[] {
    if (this.turnTtlSeconds === null) return [];
    const expiry = Date.now() / 1000 + this.turnTtlSeconds;
    return [{ urls: 'turn:turn.test:3478', username: `${expiry}:${userId}`, credential: `secret-${expiry}` }];
  }

  /** A `createSocket` for the client under test. */
  readonly createSocket = (url: string): FakeWebSocket => {
    const socket = new FakeWebSocket(url);
    this.sockets.push(socket);
    socket.onClientMessage = (message) => this.later(() => this.receive(socket, message));
    socket.onClientClose = () => this.later(() => this.left(socket));
    this.later(() => socket.serverOpen());
    return socket;
  };

  /** The network drops `userId`'s connection without a close frame; the server keeps them (grace). */
  dropConnection(userId: string): void {
    const member = this.members.get(userId);
    if (!member) return;
    const socket = member.socket;
    socket.onClientClose = null;
    socket.serverClose(1006);
  }

  /** The server forgets `userId` without telling anyone (presence lost in a restart). */
  forget(userId: string): void {
    const member = this.members.get(userId);
    if (!member) return;
    member.socket.onClientMessage = null;
    member.socket.onClientClose = null;
    this.members.delete(userId);
  }

  /** Sends everyone in the room `message` (e.g. the room's move to the SFU, `topology`). */
  tellEveryone(message: ServerMessage): void {
    this.broadcast(message);
  }

  private receive(socket: FakeWebSocket, message: ClientMessage): void {
    const self = [...this.members.values()].find((m) => m.socket === socket);
    if (message.type === 'join') {
      const { userId, displayName, resumeToken, audioMuted = false, videoMuted = false } = message.payload;
      const existing = this.members.get(userId);
      if (existing && existing.token !== resumeToken) return send(socket, error('userIdTaken'));
      if (!existing && this.members.size >= this.maxRoomSize) return send(socket, error('roomFull'));
      const member: Member = { userId, displayName: displayName || 'Guest', audioMuted, videoMuted, handRaisedAt: null, role: 'guest', recording: false, socket, token: `tok${++this.tokens}` };
      if (existing) existing.socket.serverClose(4001, 'replaced');
      this.members.set(userId, member);
      const others = [...this.members.values()].filter((m) => m.userId !== userId);
      send(socket, {
        type: 'joined',
        payload: {
          roomId: this.roomId,
          userId,
          users: others.map(wireUser),
          screenSharer: this.sharer?.userId ?? null,
          screenStreamId: this.sharer?.streamId ?? null,
          iceServers: this.iceServersFor(userId),
          resumeToken: member.token,
          chat: [],
          ...GUEST_OF_OPEN_ROOM,
        },
      });
      if (!existing) for (const other of others) send(other.socket, { type: 'userJoined', payload: wireUser(member) });
      return;
    }
    if (!self) return send(socket, error('notJoined'));
    switch (message.type) {
      case 'offer':
      case 'answer':
      case 'iceCandidate': {
        const { targetId, ...rest } = message.payload;
        const target = this.members.get(targetId);
        if (!target || target === self) return send(socket, error('targetNotFound'));
        send(target.socket, { type: message.type, payload: { ...rest, senderId: self.userId } } as ServerMessage);
        return;
      }
      case 'startScreenShare':
        this.sharer = { userId: self.userId, streamId: message.payload.streamId ?? null };
        this.broadcast({ type: 'screenShareActive', payload: { sharingUserId: self.userId, streamId: this.sharer.streamId } });
        return;
      case 'stopScreenShare':
        if (this.sharer?.userId !== self.userId) return;
        this.sharer = null;
        this.broadcast({ type: 'screenShareStopped', payload: { stoppedUserId: self.userId } });
        return;
      case 'refreshIceServers':
        this.iceRefreshes += 1;
        send(socket, { type: 'iceServers', payload: { iceServers: this.iceServersFor(self.userId) } });
        return;
      case 'mediaState':
        self.audioMuted = message.payload.audioMuted;
        self.videoMuted = message.payload.videoMuted;
        this.broadcast({ type: 'mediaState', payload: { userId: self.userId, ...message.payload } }, self.userId);
        return;
    }
  }

  private left(socket: FakeWebSocket): void {
    const self = [...this.members.values()].find((m) => m.socket === socket);
    if (!self) return;
    this.members.delete(self.userId);
    if (this.sharer?.userId === self.userId) {
      this.sharer = null;
      this.broadcast({ type: 'screenShareStopped', payload: { stoppedUserId: self.userId } });
    }
    this.broadcast({ type: 'userLeft', payload: { userId: self.userId } });
  }

  private broadcast(message: ServerMessage, except?: string): void {
    for (const member of this.members.values()) if (member.userId !== except) send(member.socket, message);
  }

  private later(action: () => void): void {
    setTimeout(action, 0);
  }
}

function send(socket: FakeWebSocket, message: ServerMessage): void {
  setTimeout(() => socket.serverSend(message), 0);
}

function error(code: string): ServerMessage {
  return { type: 'error', payload: { code, message: code } };
}

function wireUser(member: Member): WireUser {
  const { userId, displayName, audioMuted, videoMuted, handRaisedAt, role, recording } = member;
  return { userId, displayName, audioMuted, videoMuted, handRaisedAt, role, recording };
}
