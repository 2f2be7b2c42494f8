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
