/** The order of the participant list: raised hands first, in the order they went up, with their place. Pure. */
import { handOrder } from './chatState';

/** `rows` with raised hands first (place 1, 2, 3… by `raisedAt`), then everyone else in their order (place null). */
export function raisedFirst<R extends { userId: string }>(rows: readonly R[], hands: Readonly<Record<string, number>>): { row: R; place: number | null }[] {
  const places = new Map(handOrder(hands).map((userId, i) => [userId, i + 1]));
  const raised = rows.filter((r) => places.has(r.userId)).sort((a, b) => places.get(a.userId)! - places.get(b.userId)!);
  const rest = rows.filter((r) => !places.has(r.userId));
  // Places count only the people listed, so they read 1, 2, 3 without gaps.
  return [...raised.map((row, i) => ({ row, place: i + 1 })), ...rest.map((row) => ({ row, place: null }))];
}
