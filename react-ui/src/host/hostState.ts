/**
 * Host controls and admission as this client sees them (issue 14), pure: our role and everyone
 * else's, the room's settings, the people waiting in the lobby (hosts only), whether we wait
 * ourselves, and who last asked us to mute, removed us or ended the meeting. Read from the server's
 * messages; the server decides, this only follows.
 */
import type { ServerMessage } from '../signaling/messages';

/** A role in a meeting. */
export type Role = 'host' | 'guest';

/** The room's admission settings, as the server last said. */
export interface RoomSettings {
  lobby: boolean;
  locked: boolean;
  passwordRequired: boolean;
}

/** Someone waiting in the lobby. */
export interface Knock {
  userId: string;
  displayName: string;
}

/** Everything the host UI renders. */
export interface HostState {
  selfId: string;
  /** Our role once joined (`guest` before). */
  role: Role;
  /** Every other user's role, by user id. */
  roles: Readonly<Record<string, Role>>;
  room: RoomSettings;
  /** The people waiting to be let in, oldest first (hosts are told; guests never are). */
  knocks: readonly Knock[];
  /** True from `waiting` until our `joined`: the lobby holds us. */
  waiting: boolean;
  /** Who asked us to mute, last (a user id), until dismissed. */
  mutedBy: string | null;
  /** Who removed us (`removed {by}`). */
  removedBy: string | null;
  /** Who ended the meeting (`meetingEnded {by}`). */
  endedBy: string | null;
  /** Display names of the people we saw in the room (to name who removed or muted us). */
  names: Readonly<Record<string, string>>;
}

/** The state before the first message. */
export function initialHostState(selfId: string): HostState {
  return {
    selfId,
    role: 'guest',
    roles: {},
    room: { lobby: false, locked: false, passwordRequired: false },
    knocks: [],
    waiting: false,
    mutedBy: null,
    removedBy: null,
    endedBy: null,
    names: {},
  };
}

/** Local happenings besides the server's messages. */
export type HostAction =
  | { type: 'dismissMuted' }
  /** We answered a knock: the person leaves our list at once (the server tells the other hosts). */
  | { type: 'answered'; userIds: string[] };

function withoutKnocks(knocks: readonly Knock[], userIds: readonly string[]): readonly Knock[] {
  const gone = new Set(userIds);
  return knocks.some((k) => gone.has(k.userId)) ? knocks.filter((k) => !gone.has(k.userId)) : knocks;
}

function roleOf(value: unknown): Role {
  return value === 'host' ? 'host' : 'guest';
}

/** The state after a server message or a local action. */
export function hostReducer(state: HostState, message: ServerMessage | HostAction): HostState {
  switch (message.type) {
    case 'joined': {
      const { payload } = message;
      const roles: Record<string, Role> = {};
      const names: Record<string, string> = { ...state.names };
      for (const user of payload.users) {
        roles[user.userId] = roleOf(user.role);
        names[user.userId] = user.displayName;
      }
      const role = roleOf(payload.role);
      return {
        ...state,
        role,
        roles,
        names,
        room: payload.room ? { ...payload.room } : state.room,
        // Only a host's `joined` lists who waits; a guest sees no knock.
        knocks: role === 'host' ? (payload.waiting ?? []).map(({ userId, displayName }) => ({ userId, displayName })) : [],
        waiting: false,
      };
    }
    case 'userJoined':
      return {
        ...state,
        roles: { ...state.roles, [message.payload.userId]: roleOf(message.payload.role) },
        names: { ...state.names, [message.payload.userId]: message.payload.displayName },
        // Admitted (by us or another host): no longer waiting.
        knocks: withoutKnocks(state.knocks, [message.payload.userId]),
      };
    case 'userLeft': {
      if (!(message.payload.userId in state.roles)) return state;
      const roles = { ...state.roles };
      delete roles[message.payload.userId];
      return { ...state, roles };
    }
    case 'role': {
      const { userId, role } = message.payload;
      if (userId === state.selfId) {
        const next = roleOf(role);
        // A guest made host learns about the waiting people from the next knocks; a host made guest forgets them.
        return { ...state, role: next, knocks: next === 'host' ? state.knocks : [] };
      }
      return { ...state, roles: { ...state.roles, [userId]: roleOf(role) } };
    }
    case 'roomSettings':
      return { ...state, room: { lobby: message.payload.lobby, locked: message.payload.locked, passwordRequired: message.payload.passwordRequired } };
    case 'waiting':
      return { ...state, waiting: true };
    case 'knock': {
      const { userId, displayName } = message.payload;
      if (state.knocks.some((k) => k.userId === userId)) return state;
      return { ...state, knocks: [...state.knocks, { userId, displayName }] };
    }
    case 'knockCancelled':
      return { ...state, knocks: withoutKnocks(state.knocks, [message.payload.userId]) };
    case 'muteRequest':
      return { ...state, mutedBy: message.payload.by };
    case 'removed':
      return { ...state, removedBy: message.payload.by };
    case 'meetingEnded':
      return { ...state, endedBy: message.payload.by, knocks: [] };
    case 'dismissMuted':
      return state.mutedBy === null ? state : { ...state, mutedBy: null };
    case 'answered':
      return { ...state, knocks: withoutKnocks(state.knocks, message.userIds) };
    default:
      return state;
  }
}

/** The name to show for `userId` (ourselves included), or null when we never saw them. */
export function nameOf(state: HostState, userId: string | null): string | null {
  if (!userId) return null;
  return state.names[userId] ?? null;
}
