/**
 * Issue 14's fields of `joined` as the server sends them to a guest of an open room, for tests that
 * build `joined` payloads by hand: `{ ...payload, ...GUEST_OF_OPEN_ROOM }`.
 */
import type { ServerPayloads } from '../messages';

export const GUEST_OF_OPEN_ROOM: Pick<ServerPayloads['joined'], 'role' | 'room' | 'waiting' | 'topology'> = {
  role: 'guest',
  room: { lobby: false, locked: false, passwordRequired: false },
  waiting: [],
  topology: 'mesh', // issue 16: a room starts as a mesh
};
