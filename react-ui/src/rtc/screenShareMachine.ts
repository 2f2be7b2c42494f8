/**
 * The screen-share state machine: pure, no browser APIs, no React.
 *
 * It decides, from the user's clicks, the browser's answers and the server's grants, what to do
 * (ask for the screen, publish it to the peers, tell the server) and who is on the stage. The server
 * is the one authority on who shares: the last `startScreenShare` in server order wins
 * (docs/protocol.md, "Screen sharing"). The rules it implements:
 *
 * - A grant (`screenShareActive`) always names the stage's sharer: receivers show the last grant.
 * - A client that is sharing and sees a grant for someone else stops its screen and sends
 *   `stopScreenShare` (which the server ignores, since it is no longer the sharer).
 * - While a start of ours is unconfirmed (sent, our own grant not yet seen) we ignore grants for
 *   others: our start is later in server order, so our grant follows. We count starts in flight
 *   rather than keep a flag, because a stop and a new start can be sent before the first grant.
 * - The browser's own "stop sharing" bar (the track's `ended`) ends the share like the button.
 */

/** Where our own share stands. */
export type LocalSharePhase =
  /** Not sharing. */
  | 'idle'
  /** `getDisplayMedia` is open (the browser's picker). */
  | 'requesting'
  /** Published and `startScreenShare` sent; our grant has not come back yet. */
  | 'unconfirmed'
  /** The server confirmed us as the sharer. */
  | 'sharing';

/** The room's sharer as the server last told us. */
export interface Sharer {
  userId: string;
  /** The id of the sharer's screen `MediaStream`, so receivers can tell it from the camera's. */
  streamId: string | null;
}

/** The machine's whole state. */
export interface ScreenShareState {
  selfId: string;
  phase: LocalSharePhase;
  /** Our screen stream's id while unconfirmed or sharing. */
  localStreamId: string | null;
  /** `startScreenShare` messages sent whose grant has not arrived yet. */
  startsInFlight: number;
  /** The user clicked stop while the picker was open: drop the screen when it arrives. */
  cancelRequested: boolean;
  /** What the stage shows: the server's current sharer. */
  sharer: Sharer | null;
  /** A message for the user when capturing failed for a reason other than cancelling. */
  error: string | null;
}

/** Something that happened. */
export type ScreenShareEvent =
  | { type: 'startClicked' }
  | { type: 'stopClicked' }
  | { type: 'captureStarted'; streamId: string }
  | { type: 'captureFailed'; cancelled: boolean; message?: string }
  | { type: 'trackEnded' }
  | { type: 'granted'; userId: string; streamId: string | null }
  | { type: 'stopped'; userId: string }
  /** `joined` (first or after a reconnect): the server's sharer at that moment. */
  | { type: 'snapshot'; sharer: string | null; streamId: string | null }
  | { type: 'errorDismissed' };

/** Something the machine asks its executor to do, in order. */
export type ScreenShareEffect =
  /** Call `getDisplayMedia` and report `captureStarted` / `captureFailed`. */
  | { type: 'requestCapture' }
  /** Add the screen track to every peer connection (and to peers that join later). */
  | { type: 'publish' }
  /** Remove the screen track from every peer connection and stop it. */
  | { type: 'unpublish' }
  | { type: 'sendStart'; streamId: string }
  | { type: 'sendStop' };

/** The machine's answer to an event. */
export interface Transition {
  state: ScreenShareState;
  effects: ScreenShareEffect[];
}

/** The state before anything happened. */
export function initialScreenShareState(selfId: string): ScreenShareState {
  return {
    selfId,
    phase: 'idle',
    localStreamId: null,
    startsInFlight: 0,
    cancelRequested: false,
    sharer: null,
    error: null,
  };
}

/** The next state and the effects to run for `event`. */
export function screenShareReducer(state: ScreenShareState, event: ScreenShareEvent): Transition {
  switch (event.type) {
    case 'startClicked':
      if (state.phase !== 'idle') return same(state);
      return {
        state: { ...state, phase: 'requesting', cancelRequested: false, error: null },
        effects: [{ type: 'requestCapture' }],
      };

    case 'captureStarted':
      if (state.phase !== 'requesting') return { state, effects: [{ type: 'unpublish' }] };
      if (state.cancelRequested) {
        return { state: { ...state, phase: 'idle', cancelRequested: false }, effects: [{ type: 'unpublish' }] };
      }
      // Even if someone else started sharing while the picker was open, the user just chose a
      // screen: our start comes later in server order and takes over.
      return {
        state: {
          ...state,
          phase: 'unconfirmed',
          localStreamId: event.streamId,
          startsInFlight: state.startsInFlight + 1,
        },
        effects: [{ type: 'publish' }, { type: 'sendStart', streamId: event.streamId }],
      };

    case 'captureFailed':
      if (state.phase !== 'requesting') return same(state);
      return {
        state: {
          ...state,
          phase: 'idle',
          cancelRequested: false,
          // Cancelling the picker is not an error: the user just stays in the call.
          error: event.cancelled ? null : (event.message ?? 'Could not share the screen.'),
        },
        effects: [],
      };

    case 'stopClicked':
    case 'trackEnded':
      if (state.phase === 'requesting') return same({ ...state, cancelRequested: true });
      if (state.phase === 'idle') return same(state);
      return stopLocal(state);

    case 'granted': {
      const next: ScreenShareState = { ...state, sharer: { userId: event.userId, streamId: event.streamId } };
      if (event.userId === state.selfId) {
        if (state.startsInFlight === 0) {
          // A grant we did not ask for (e.g. a start queued across a reconnect after we stopped):
          // keep the server honest if we are not actually sharing.
          if (state.phase === 'sharing') return same(next);
          return { state: next, effects: [{ type: 'sendStop' }] };
        }
        const startsInFlight = state.startsInFlight - 1;
        const confirmed = state.phase === 'unconfirmed' && startsInFlight === 0;
        return same({ ...next, startsInFlight, phase: confirmed ? 'sharing' : state.phase });
      }
      // Someone else's grant. While a start of ours is in flight, it is older than ours: ignore it.
      if (state.startsInFlight > 0) return same(next);
      if (state.phase === 'sharing' || state.phase === 'unconfirmed') return stopLocal(next);
      return same(next);
    }

    case 'stopped': {
      const next: ScreenShareState =
        state.sharer?.userId === event.userId ? { ...state, sharer: null } : state;
      // The server says our share ended (nobody else can stop it): believe it unless a start of
      // ours is still to be answered, in which case this stop answers an older start.
      if (event.userId === state.selfId && state.phase === 'sharing' && state.startsInFlight === 0) {
        return { state: { ...next, phase: 'idle', localStreamId: null }, effects: [{ type: 'unpublish' }] };
      }
      return same(next);
    }

    case 'snapshot': {
      const sharer = event.sharer ? { userId: event.sharer, streamId: event.streamId } : null;
      const next: ScreenShareState = { ...state, sharer, startsInFlight: 0 };
      const publishing = state.phase === 'sharing' || state.phase === 'unconfirmed';
      if (event.sharer === state.selfId) {
        if (publishing) return same({ ...next, phase: 'sharing' });
        return { state: next, effects: [{ type: 'sendStop' }] };
      }
      if (!publishing || !state.localStreamId) return same(next);
      if (event.sharer === null) {
        // The server forgot the share (it restarted): claim it again.
        return {
          state: { ...next, phase: 'unconfirmed', startsInFlight: 1 },
          effects: [{ type: 'sendStart', streamId: state.localStreamId }],
        };
      }
      return stopLocal(next);
    }

    case 'errorDismissed':
      return same({ ...state, error: null });
  }
}

function stopLocal(state: ScreenShareState): Transition {
  return {
    state: { ...state, phase: 'idle', localStreamId: null, cancelRequested: false },
    effects: [{ type: 'unpublish' }, { type: 'sendStop' }],
  };
}

function same(state: ScreenShareState): Transition {
  return { state, effects: [] };
}

/** Whether the local user's button should read "Stop sharing". */
export function isLocallySharing(state: ScreenShareState): boolean {
  return state.phase === 'unconfirmed' || state.phase === 'sharing';
}
