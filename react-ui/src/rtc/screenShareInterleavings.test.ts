/**
 * The screen-share machine in every interleaving: several clients running the real reducer against
 * a model server (last start in server order wins, echo to everyone, stop ignored unless from the
 * sharer), exploring every order of user actions, server processing and deliveries, and checking
 * that each quiet end agrees with the server.
 */
import { describe, expect, it } from 'vitest';
import {
  initialScreenShareState,
  screenShareReducer,
  type ScreenShareEvent,
  type ScreenShareState,
} from './screenShareMachine';

const start = (): ScreenShareEvent => ({ type: 'startClicked' });
const captured = (streamId: string): ScreenShareEvent => ({ type: 'captureStarted', streamId });

type ToServer = { from: string; type: 'start'; streamId: string } | { from: string; type: 'stop' };
type ToClient =
  | { type: 'granted'; userId: string; streamId: string | null }
  | { type: 'stopped'; userId: string }
  | { type: 'snapshot'; sharer: string | null; streamId: string | null };

interface Client {
  state: ScreenShareState;
  outbox: ToServer[];
  inbox: ToClient[];
  captureOpen: boolean;
  captures: number;
  published: boolean;
  /** User actions still to happen, in order (each may happen at any point of the schedule). */
  script: ScreenShareEvent[];
  /** In the room: gets broadcasts. A late joiner enters at any point and first gets a snapshot. */
  inRoom: boolean;
  /**
   * Has processed its `joined` snapshot. Before that, screen-share messages are not sent (the
   * signaling client drops them while not joined: the snapshot reconciles instead).
   */
  synced: boolean;
}

interface World {
  clients: Record<string, Client>;
  sharer: { userId: string; streamId: string | null } | null;
}

function clone(world: World): World {
  const clients: Record<string, Client> = {};
  for (const [id, c] of Object.entries(world.clients)) {
    clients[id] = { ...c, outbox: [...c.outbox], inbox: [...c.inbox], script: [...c.script] };
  }
  return { clients, sharer: world.sharer && { ...world.sharer } };
}

function apply(world: World, id: string, event: ScreenShareEvent): void {
  const client = world.clients[id];
  const t = screenShareReducer(client.state, event);
  client.state = t.state;
  if (event.type === 'snapshot') client.synced = true;
  for (const effect of t.effects) {
    if ((effect.type === 'sendStart' || effect.type === 'sendStop') && !client.synced) continue;
    if (effect.type === 'requestCapture') client.captureOpen = true;
    if (effect.type === 'publish') client.published = true;
    if (effect.type === 'unpublish') client.published = false;
    if (effect.type === 'sendStart') client.outbox.push({ from: id, type: 'start', streamId: effect.streamId });
    if (effect.type === 'sendStop') client.outbox.push({ from: id, type: 'stop' });
  }
}

/** Every step that could happen next, each producing a new world. */
function steps(world: World): World[] {
  const next: World[] = [];
  for (const id of Object.keys(world.clients)) {
    const c = world.clients[id];
    if (!c.inRoom) {
      const w = clone(world);
      w.clients[id].inRoom = true;
      w.clients[id].inbox.push({ type: 'snapshot', sharer: w.sharer?.userId ?? null, streamId: w.sharer?.streamId ?? null });
      next.push(w);
      continue;
    }
    // The Share screen button is disabled until the client is in the room.
    if (c.script.length > 0 && c.synced) {
      const w = clone(world);
      apply(w, id, w.clients[id].script.shift()!);
      next.push(w);
    }
    if (c.captureOpen) {
      const w = clone(world);
      w.clients[id].captureOpen = false;
      w.clients[id].captures += 1;
      apply(w, id, captured(`s-${id}-${w.clients[id].captures}`));
      next.push(w);
    }
    if (c.outbox.length > 0) {
      // The server processes this client's next message and broadcasts in one ordered step.
      const w = clone(world);
      const message = w.clients[id].outbox.shift()!;
      if (message.type === 'start') {
        w.sharer = { userId: id, streamId: message.streamId };
        for (const other of Object.values(w.clients)) {
          if (other.inRoom) other.inbox.push({ type: 'granted', userId: id, streamId: message.streamId });
        }
      } else if (w.sharer?.userId === id) {
        w.sharer = null;
        for (const other of Object.values(w.clients)) {
          if (other.inRoom) other.inbox.push({ type: 'stopped', userId: id });
        }
      }
      next.push(w);
    }
    if (c.inbox.length > 0) {
      const w = clone(world);
      apply(w, id, w.clients[id].inbox.shift()!);
      next.push(w);
    }
  }
  return next;
}

/**
 * Explores every schedule (depth first, each distinct world once); checks that each quiet end
 * agrees with the server.
 */
function explore(world: World): { worlds: number; outcomes: Set<string> } {
  const outcomes = new Set<string>();
  const seen = new Set<string>();
  const stack = [world];
  while (stack.length > 0) {
    const w = stack.pop()!;
    const key = JSON.stringify(w);
    if (seen.has(key)) continue;
    seen.add(key);
    const next = steps(w);
    if (next.length > 0) {
      stack.push(...next);
      continue;
    }
    const serverSharer = w.sharer?.userId ?? null;
    outcomes.add(String(serverSharer));
    for (const [id, c] of Object.entries(w.clients)) {
      const where = `client ${id}, server sharer ${serverSharer}`;
      expect(c.state.sharer?.userId ?? null, where).toBe(serverSharer);
      expect(c.state.startsInFlight, where).toBe(0);
      const mine = serverSharer === id;
      expect(c.state.phase, where).toBe(mine ? 'sharing' : 'idle');
      expect(c.published, where).toBe(mine);
      if (mine) expect(c.state.localStreamId, where).toBe(w.sharer?.streamId);
    }
  }
  return { worlds: seen.size, outcomes };
}

function world(scripts: Record<string, ScreenShareEvent[]>, lateJoiners: string[] = []): World {
  const clients: Record<string, Client> = {};
  for (const [id, script] of Object.entries(scripts)) {
    clients[id] = {
      state: initialScreenShareState(id),
      outbox: [],
      inbox: [],
      captureOpen: false,
      captures: 0,
      published: false,
      script,
      inRoom: !lateJoiners.includes(id),
      synced: !lateJoiners.includes(id),
    };
  }
  return { clients, sharer: null };
}

/** Runs a world until quiet in one fixed order (for setting up a starting point). */
function settle(w: World): World {
  for (let next = steps(w); next.length > 0; next = steps(w)) w = next[0];
  return w;
}

describe('screen share, every interleaving with a model server', () => {
  it('two simultaneous starts converge on the one the server took last, in both server orders', () => {
    const { worlds, outcomes } = explore(world({ A: [start()], C: [start()], B: [] }));
    expect(worlds).toBeGreaterThan(100);
    expect(outcomes).toEqual(new Set(['A', 'C']));
  });

  it('a sharer stopping while someone else starts converges', () => {
    const base = settle(world({ A: [start()], C: [] }));
    expect(base.sharer?.userId).toBe('A');
    base.clients.A.script = [{ type: 'stopClicked' }];
    base.clients.C.script = [start()];
    const { outcomes } = explore(base);
    // A's stop is either taken before C's start or ignored after it: C shares in the end.
    expect(outcomes).toEqual(new Set(['C']));
  });

  it("the browser's stop bar while unconfirmed, racing someone else's start, converges", () => {
    const { outcomes } = explore(world({ A: [start(), { type: 'trackEnded' }], C: [start()] }));
    expect(outcomes.has('C')).toBe(true);
  });

  it('stop and start again while unconfirmed, racing someone else, converges', () => {
    const { outcomes } = explore(
      world({ A: [start(), { type: 'stopClicked' }, start()], C: [start()] }),
    );
    expect(outcomes).toEqual(new Set(['A', 'C']));
  });

  it('a late joiner arriving at any moment of two racing starts sees the right sharer', () => {
    const { outcomes } = explore(world({ A: [start()], C: [start()], D: [] }, ['D']));
    expect(outcomes).toEqual(new Set(['A', 'C']));
  });

  it('a late joiner who starts sharing at once converges with a sharer who stops', () => {
    const base = settle(world({ A: [start()] }));
    base.clients.A.script = [{ type: 'trackEnded' }];
    base.clients.D = { ...base.clients.A, state: initialScreenShareState('D'), published: false, captures: 0 };
    Object.assign(base.clients.D, { inRoom: false, synced: false, script: [start()], inbox: [], outbox: [] });
    const { outcomes } = explore(base);
    expect(outcomes).toEqual(new Set(['D']));
  });

  it('three simultaneous starts converge', () => {
    const { outcomes } = explore(world({ A: [start()], B: [start()], C: [start()] }));
    expect(outcomes).toEqual(new Set(['A', 'B', 'C']));
  });
});
