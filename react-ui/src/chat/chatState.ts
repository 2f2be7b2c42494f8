/**
 * The meeting's chat, raised hands and reactions as this client knows them, pure: a reducer over
 * the server's `joined`, `userJoined`, `userLeft`, `chat`, `hand`, `reaction` and `error` messages
 * and a few local actions (panel opened, a reaction faded, an error dismissed). No I/O, no timers:
 * `meetingChat.ts` drives it.
 */
import {
  REACTION_EMOJI,
  type ReactionEmoji,
  type ServerMessage,
  type WireChatMessage,
} from '../signaling/messages';

/** The six reactions the server accepts, in the picker's order. */
export const REACTIONS = REACTION_EMOJI;

/** One of {@link REACTIONS}. */
export type Reaction = ReactionEmoji;

/** A chat message as the server sends it (`chat` and `joined.chat`). */
export type ChatMessage = WireChatMessage;

/** The refusals of a chat message (or reaction) shown to its sender near the text box. */
export type ChatErrorCode = 'rateLimited' | 'invalidPayload' | 'targetNotFound';

const CHAT_ERRORS: ReadonlySet<string> = new Set<ChatErrorCode>(['rateLimited', 'invalidPayload', 'targetNotFound']);

/** What we sent that the server answers with an echo or an `error`, oldest first. */
export type Pending = 'chat' | 'hand' | 'reaction';

/** A reaction floating over its sender's tile. */
export interface ShownReaction {
  /** Unique for this page: the key that fades it (`reactionFaded`). */
  key: number;
  userId: string;
  emoji: string;
}

/** Everything the chat, hand and reaction UI renders. */
export interface ChatState {
  selfId: string;
  /** The conversation in the server's order. */
  messages: readonly ChatMessage[];
  /** Whether the chat panel is open (while closed, others' new messages count as unread). */
  open: boolean;
  unread: number;
  /** The last refusal of something we sent, until the next send or a dismiss. */
  error: ChatErrorCode | null;
  /** Raised hands: user id → `raisedAt` (server ms), ours included. */
  hands: Readonly<Record<string, number>>;
  reactions: readonly ShownReaction[];
  /** Sends still waiting for their echo or refusal, oldest first. */
  pending: readonly Pending[];
  nextKey: number;
}

/** Server messages (the reducer reads joined, userJoined, userLeft, chat, hand, reaction, error) and local actions. */
export type ChatAction =
  | ServerMessage
  | { type: 'sent'; payload: { kind: Pending } }
  | { type: 'setOpen'; payload: { open: boolean } }
  | { type: 'reactionFaded'; payload: { key: number } }
  | { type: 'dismissError'; payload: Record<string, never> }
  /** Refused here before sending (too long): shown like the server's refusal. */
  | { type: 'refusedLocally'; payload: { code: ChatErrorCode } };

/** The state before anything arrived. */
export function initialChatState(selfId: string): ChatState {
  return { selfId, messages: [], open: false, unread: 0, error: null, hands: {}, reactions: [], pending: [], nextKey: 1 };
}

/** Whether `message` is private (only its sender and target see it). */
export function isPrivate(message: ChatMessage): boolean {
  return typeof message.targetId === 'string' && message.targetId !== '';
}

/** The state after `action`; unchanged (the same object) when it changes nothing. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'joined': {
      // The server's history replaces ours (a resume brings everything again, in its order); any
      // message not seen before counts as unread while the panel is closed.
      const history = dedupe(action.payload.chat ?? []); // `?? []`: a server from before issue 13
      const known = new Set(state.messages.map((m) => m.messageId));
      const fresh = history.filter((m) => !known.has(m.messageId) && m.senderId !== state.selfId).length;
      const hands: Record<string, number> = {};
      // `joined.users` is everyone else; our own hand survives a resume as the server keeps it.
      if (state.selfId in state.hands) hands[state.selfId] = state.hands[state.selfId];
      for (const user of action.payload.users) if (typeof user.handRaisedAt === 'number') hands[user.userId] = user.handRaisedAt;
      return { ...state, messages: history, unread: state.open ? 0 : state.unread + fresh, hands, pending: [] };
    }
    case 'userJoined':
      return withHand(state, action.payload.userId, action.payload.handRaisedAt ?? null);
    case 'userLeft':
      return withHand(state, action.payload.userId, null);
    case 'hand': {
      const { userId, raised, raisedAt } = action.payload;
      const next = withHand(state, userId, raised && typeof raisedAt === 'number' ? raisedAt : null);
      return userId === state.selfId ? settle(next, 'hand') : next;
    }
    case 'chat': {
      const message = action.payload;
      const own = message.senderId === state.selfId;
      const base = own ? settle(state, 'chat') : state;
      if (state.messages.some((m) => m.messageId === message.messageId)) return base;
      const unread = state.open || own ? base.unread : base.unread + 1;
      return { ...base, messages: [...state.messages, message], unread };
    }
    case 'reaction': {
      const { userId, emoji } = action.payload;
      const base = userId === state.selfId ? settle(state, 'reaction') : state;
      return { ...base, reactions: [...base.reactions, { key: base.nextKey, userId, emoji }], nextKey: base.nextKey + 1 };
    }
    case 'error': {
      // Messages are answered in order, so a refusal answers the oldest send still waiting.
      if (!CHAT_ERRORS.has(action.payload.code) || state.pending.length === 0) return state;
      return { ...state, pending: state.pending.slice(1), error: action.payload.code as ChatErrorCode };
    }
    case 'sent':
      return { ...state, pending: [...state.pending, action.payload.kind], error: null };
    case 'setOpen':
      if (state.open === action.payload.open && (!state.open || state.unread === 0)) return state;
      return { ...state, open: action.payload.open, unread: action.payload.open ? 0 : state.unread };
    case 'reactionFaded':
      return { ...state, reactions: state.reactions.filter((r) => r.key !== action.payload.key) };
    case 'refusedLocally':
      return { ...state, error: action.payload.code };
    case 'dismissError':
      return state.error === null ? state : { ...state, error: null };
    default:
      return state;
  }
}

/** The users with a raised hand, in the order their hands went up (ties by user id, as everywhere). */
export function handOrder(hands: Readonly<Record<string, number>>): string[] {
  return Object.entries(hands)
    .sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : a > b ? 1 : 0))
    .map(([userId]) => userId);
}

function withHand(state: ChatState, userId: string, raisedAt: number | null): ChatState {
  if (raisedAt === null) {
    if (!(userId in state.hands)) return state;
    const hands = { ...state.hands };
    delete hands[userId];
    return { ...state, hands };
  }
  if (state.hands[userId] === raisedAt) return state;
  return { ...state, hands: { ...state.hands, [userId]: raisedAt } };
}

/** Our send of `kind` was answered: it waits no more. */
function settle(state: ChatState, kind: Pending): ChatState {
  const at = state.pending.indexOf(kind);
  if (at < 0) return state;
  return { ...state, pending: [...state.pending.slice(0, at), ...state.pending.slice(at + 1)] };
}

function dedupe(messages: readonly ChatMessage[]): ChatMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.messageId) && Boolean(seen.add(m.messageId)));
}
