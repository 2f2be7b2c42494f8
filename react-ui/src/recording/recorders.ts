/**
 * Who records the meeting, as the server says (consent, issue 15): from `joined.users[].recording`,
 * `userJoined`, `recording{userId, active}` and `userLeft`. Pure. Our own recording is not taken
 * from here but from our recorder (a resume keeps the server's flag and sends nothing back).
 */
import type { ServerMessage } from '../signaling/messages';

/** The others who record (by id, in the order they started) and the names of everyone known. */
export interface RecordersState {
  selfId: string;
  recording: readonly string[];
  names: Readonly<Record<string, string>>;
}

/** Nobody records yet. */
export function initialRecorders(selfId: string): RecordersState {
  return { selfId, recording: [], names: {} };
}

function withRecording(state: RecordersState, userId: string, active: boolean): RecordersState {
  if (userId === state.selfId) return state;
  const has = state.recording.includes(userId);
  if (has === active) return state;
  const recording = active ? [...state.recording, userId] : state.recording.filter((id) => id !== userId);
  return { ...state, recording };
}

/** The state after `message` (the same object when it changes nothing). */
export function recordersReducer(state: RecordersState, message: ServerMessage): RecordersState {
  switch (message.type) {
    case 'joined': {
      // The server's list is the truth after every (re)join: who stopped meanwhile is gone.
      const users = message.payload.users.filter((u) => u.userId !== state.selfId);
      const names = { ...state.names };
      for (const user of users) names[user.userId] = user.displayName;
      const recording = users.filter((u) => u.recording).map((u) => u.userId);
      const kept = state.recording.filter((id) => recording.includes(id));
      return { ...state, names, recording: [...kept, ...recording.filter((id) => !kept.includes(id))] };
    }
    case 'userJoined': {
      const user = message.payload;
      const named = state.names[user.userId] === user.displayName ? state : { ...state, names: { ...state.names, [user.userId]: user.displayName } };
      return withRecording(named, user.userId, Boolean(user.recording));
    }
    case 'recording':
      return withRecording(state, message.payload.userId, message.payload.active);
    case 'userLeft':
      return withRecording(state, message.payload.userId, false);
    default:
      return state;
  }
}

/**
 * The names the indicator shows: ours first (as `selfName`) while we record, then the others'
 * (`fallback` for someone whose name we never got). Empty while nobody records.
 */
export function recorderNames(state: RecordersState, selfRecording: boolean, selfName: string, fallback: string): string[] {
  const others = state.recording.map((id) => state.names[id] || fallback);
  return selfRecording ? [selfName, ...others] : others;
}
