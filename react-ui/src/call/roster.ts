/**
 * Who is in the call, as far as the server told us: names and mute state of the other
 * participants, from `joined`, `userJoined`, `userLeft` and `mediaState`. Pure.
 */
import type { ServerMessage, WireUser } from '../signaling/messages';

/** One other participant. */
export interface RosterEntry {
  userId: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
}

/** The other participants in join order. */
export type Roster = readonly RosterEntry[];

/**
 * The roster after `message`. On a `joined` (first or after a reconnect) the server's list replaces
 * ours, except that people we still have a live peer connection to (`livePeers`) stay: after a
 * server restart everyone rejoins one by one, and they should not flicker out of the call.
 */
export function rosterReducer(roster: Roster, message: ServerMessage, livePeers: ReadonlySet<string> = new Set()): Roster {
  switch (message.type) {
    case 'joined': {
      const fresh = message.payload.users.map(entryOf);
      const ids = new Set(fresh.map((e) => e.userId));
      const kept = roster.filter((e) => !ids.has(e.userId) && livePeers.has(e.userId));
      // Keep the order people had on screen.
      const order = new Map(roster.map((e, i) => [e.userId, i]));
      return [...kept, ...fresh].sort(
        (a, b) => (order.get(a.userId) ?? Infinity) - (order.get(b.userId) ?? Infinity),
      );
    }
    case 'userJoined': {
      const entry = entryOf(message.payload);
      if (roster.some((e) => e.userId === entry.userId)) {
        return roster.map((e) => (e.userId === entry.userId ? entry : e));
      }
      return [...roster, entry];
    }
    case 'userLeft':
      return roster.filter((e) => e.userId !== message.payload.userId);
    case 'mediaState': {
      const { userId, audioMuted, videoMuted } = message.payload;
      return roster.map((e) => (e.userId === userId ? { ...e, audioMuted, videoMuted } : e));
    }
    default:
      return roster;
  }
}

function entryOf(user: WireUser): RosterEntry {
  return {
    userId: user.userId,
    displayName: user.displayName || 'Guest',
    audioMuted: Boolean(user.audioMuted),
    videoMuted: Boolean(user.videoMuted),
  };
}
