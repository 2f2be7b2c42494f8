// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallSession, CallSnapshot } from '../call/callSession';
import { useCallSession } from './useCallSession';

/** The parts of a session the hook uses, holding one switch the way CallSession holds noise suppression. */
function switchSession() {
  const listeners = new Set<(snap: CallSnapshot) => void>();
  let snapshot = { noiseSuppression: 'off' } as CallSnapshot;
  return {
    get snapshot() {
      return snapshot;
    },
    subscribe(listener: (snap: CallSnapshot) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {},
    leave() {},
    leaveBeaconBody: () => null,
    setNoiseSuppression(on: boolean) {
      snapshot = { ...snapshot, noiseSuppression: on ? 'starting' : 'off' };
      for (const listener of listeners) listener(snapshot);
    },
    /** A change from outside any input (a WebRTC event, a server message). */
    fromNetwork(patch: Partial<CallSnapshot>) {
      snapshot = { ...snapshot, ...patch };
      for (const listener of listeners) listener(snapshot);
    },
  };
}

function Switch({ session }: { session: ReturnType<typeof switchSession> }) {
  const snapshot = useCallSession(session as unknown as CallSession);
  return (
    <input
      type="checkbox"
      role="switch"
      aria-label="Noise suppression"
      checked={snapshot.noiseSuppression !== 'off'}
      onChange={(event) => session.setNoiseSuppression(event.currentTarget.checked)}
    />
  );
}

afterEach(cleanup);

describe('useCallSession', () => {
  it('renders a change made by a click at once, so a switch never shows its old state after the click', () => {
    const session = switchSession();
    render(<Switch session={session} />);
    const toggle = screen.getByRole('switch', { name: 'Noise suppression' }) as HTMLInputElement;
    const seen: boolean[] = [];
    // The browser fires change right after the click's handlers: what the person (and a test) sees then.
    toggle.addEventListener('change', () => seen.push(toggle.checked));
    fireEvent.click(toggle);
    fireEvent.click(toggle);
    expect(seen).toEqual([true, false]);
    expect(toggle.checked).toBe(false);
  });

  it('renders changes from outside any input too', () => {
    const session = switchSession();
    render(<Switch session={session} />);
    const toggle = screen.getByRole('switch', { name: 'Noise suppression' }) as HTMLInputElement;
    act(() => session.fromNetwork({ noiseSuppression: 'on' }));
    expect(toggle.checked).toBe(true);
  });
});
