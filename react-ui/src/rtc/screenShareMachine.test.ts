import { describe, expect, it } from 'vitest';
import {
  initialScreenShareState,
  isLocallySharing,
  screenShareReducer,
  type ScreenShareEffect,
  type ScreenShareEvent,
  type ScreenShareState,
} from './screenShareMachine';

/** Runs events through the reducer, collecting the effects. */
function run(state: ScreenShareState, ...events: ScreenShareEvent[]) {
  const effects: ScreenShareEffect[] = [];
  for (const event of events) {
    const t = screenShareReducer(state, event);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const start = (): ScreenShareEvent => ({ type: 'startClicked' });
const captured = (streamId: string): ScreenShareEvent => ({ type: 'captureStarted', streamId });
const grant = (userId: string, streamId: string | null = `s-${userId}`): ScreenShareEvent => ({
  type: 'granted',
  userId,
  streamId,
});
const stopped = (userId: string): ScreenShareEvent => ({ type: 'stopped', userId });

describe('screen share, one client', () => {
  it('asks for the screen on click, publishes and claims it, and is confirmed by its own grant', () => {
    const a = run(initialScreenShareState('A'), start());
    expect(a.effects).toEqual([{ type: 'requestCapture' }]);
    expect(isLocallySharing(a.state)).toBe(false);
    const b = run(a.state, captured('s-A'));
    expect(b.effects).toEqual([{ type: 'publish' }, { type: 'sendStart', streamId: 's-A' }]);
    expect(b.state.phase).toBe('unconfirmed');
    expect(isLocallySharing(b.state)).toBe(true);
    const c = run(b.state, grant('A'));
    expect(c.state.phase).toBe('sharing');
    expect(c.state.sharer).toEqual({ userId: 'A', streamId: 's-A' });
    expect(c.effects).toEqual([]);
  });

  it('stays in the call with no error when the picker is cancelled', () => {
    const { state, effects } = run(initialScreenShareState('A'), start(), {
      type: 'captureFailed',
      cancelled: true,
    });
    expect(state.phase).toBe('idle');
    expect(state.error).toBeNull();
    expect(effects).toEqual([{ type: 'requestCapture' }]);
  });

  it('shows a message when capture fails for another reason, and can dismiss it', () => {
    const failed = run(initialScreenShareState('A'), start(), {
      type: 'captureFailed',
      cancelled: false,
      message: 'Screen capture is not available.',
    });
    expect(failed.state.error).toBe('Screen capture is not available.');
    expect(run(failed.state, { type: 'errorDismissed' }).state.error).toBeNull();
  });

  it('ignores a second click while the picker is open', () => {
    const { effects } = run(initialScreenShareState('A'), start(), start());
    expect(effects).toEqual([{ type: 'requestCapture' }]);
  });

  it.each<ScreenShareEvent['type']>(['stopClicked', 'trackEnded'])(
    'ends a confirmed share on %s',
    (type) => {
      const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
      const { state, effects } = run(sharing, { type } as ScreenShareEvent);
      expect(state.phase).toBe('idle');
      expect(effects).toEqual([{ type: 'unpublish' }, { type: 'sendStop' }]);
      // The server's answer clears the stage.
      expect(run(state, stopped('A')).state.sharer).toBeNull();
    },
  );

  it("ends an unconfirmed share when the browser's stop bar is used, and the late grant does not revive it", () => {
    const pending = run(initialScreenShareState('A'), start(), captured('s-A')).state;
    const ended = run(pending, { type: 'trackEnded' });
    expect(ended.effects).toEqual([{ type: 'unpublish' }, { type: 'sendStop' }]);
    const after = run(ended.state, grant('A'), stopped('A'));
    expect(after.state.phase).toBe('idle');
    expect(after.state.sharer).toBeNull();
    expect(after.effects).toEqual([]);
  });

  it('stop while unconfirmed, then a new start: the old grant and stop do not end the new share', () => {
    const { state, effects } = run(
      initialScreenShareState('A'),
      start(),
      captured('s1'),
      { type: 'stopClicked' },
      start(),
      captured('s2'),
      grant('A', 's1'), // answers the first start
      stopped('A'), // answers the stop
    );
    expect(state.phase).toBe('unconfirmed');
    expect(isLocallySharing(state)).toBe(true);
    expect(effects.filter((e) => e.type === 'unpublish')).toHaveLength(1);
    const confirmed = run(state, grant('A', 's2')).state;
    expect(confirmed.phase).toBe('sharing');
    expect(confirmed.sharer).toEqual({ userId: 'A', streamId: 's2' });
  });

  it('drops the screen that arrives after the user pressed stop while the picker was open', () => {
    const { state, effects } = run(initialScreenShareState('A'), start(), { type: 'stopClicked' }, captured('s-A'));
    expect(state.phase).toBe('idle');
    expect(effects).toEqual([{ type: 'requestCapture' }, { type: 'unpublish' }]);
  });

  it('stops a confirmed share when the server says it ended', () => {
    const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
    const { state, effects } = run(sharing, stopped('A'));
    expect(state.phase).toBe('idle');
    expect(effects).toEqual([{ type: 'unpublish' }]);
  });
});

describe('screen share, grants for others', () => {
  it('a sharer that sees someone else granted stops and tells the server', () => {
    const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
    const { state, effects } = run(sharing, grant('C'));
    expect(effects).toEqual([{ type: 'unpublish' }, { type: 'sendStop' }]);
    expect(state.sharer).toEqual({ userId: 'C', streamId: 's-C' });
    expect(state.phase).toBe('idle');
  });

  it('ignores a grant for someone else while its own start is unconfirmed', () => {
    const pending = run(initialScreenShareState('C'), start(), captured('s-C')).state;
    const { state, effects } = run(pending, grant('A'));
    expect(effects).toEqual([]);
    expect(state.phase).toBe('unconfirmed');
    expect(state.sharer?.userId).toBe('A'); // the stage follows the server meanwhile
    expect(run(state, grant('C')).state.phase).toBe('sharing');
  });

  it("takes over when someone else was granted while its picker was open", () => {
    const { state, effects } = run(initialScreenShareState('C'), start(), grant('A'), captured('s-C'));
    expect(effects).toContainEqual({ type: 'sendStart', streamId: 's-C' });
    expect(state.sharer?.userId).toBe('A');
    expect(run(state, grant('C')).state).toMatchObject({ phase: 'sharing', sharer: { userId: 'C' } });
  });

  it('a receiver shows the last grant and clears the stage only when that sharer stops', () => {
    const { state } = run(initialScreenShareState('B'), grant('A'), grant('C'), stopped('A'));
    expect(state.sharer).toEqual({ userId: 'C', streamId: 's-C' });
    expect(run(state, stopped('C')).state.sharer).toBeNull();
  });
});

describe('screen share, snapshots from joined', () => {
  it('a late joiner puts the current sharer on the stage', () => {
    const { state, effects } = run(initialScreenShareState('B'), {
      type: 'snapshot',
      sharer: 'A',
      streamId: 's-A',
    });
    expect(state.sharer).toEqual({ userId: 'A', streamId: 's-A' });
    expect(effects).toEqual([]);
  });

  it('after a server restart that forgot the share, the sharer claims it again', () => {
    const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
    const { state, effects } = run(sharing, { type: 'snapshot', sharer: null, streamId: null });
    expect(effects).toEqual([{ type: 'sendStart', streamId: 's-A' }]);
    expect(state.phase).toBe('unconfirmed');
  });

  it('after a resume that kept the share, nothing changes', () => {
    const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
    const { state, effects } = run(sharing, { type: 'snapshot', sharer: 'A', streamId: 's-A' });
    expect(effects).toEqual([]);
    expect(state.phase).toBe('sharing');
  });

  it('a rejoin that finds someone else sharing stops ours', () => {
    const sharing = run(initialScreenShareState('A'), start(), captured('s-A'), grant('A')).state;
    const { effects } = run(sharing, { type: 'snapshot', sharer: 'C', streamId: 's-C' });
    expect(effects).toEqual([{ type: 'unpublish' }, { type: 'sendStop' }]);
  });
});

// ------------------------------------------------------------------ every interleaving

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
