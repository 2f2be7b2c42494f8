// @vitest-environment jsdom
/**
 * Issue 14 on the pages before and after a call: New meeting keeps the host token (and asks for the
 * operator's token when the server wants one), the pre-join page asks for the password or says the
 * host will let you in, a locked meeting says so before the camera opens, and every way out of a
 * meeting (removed, ended, denied) has a clear page with a way back.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CallSnapshot } from '../call/callSession';
import { LandingPage } from '../pages/LandingPage';
import { PreJoinPage } from '../pages/PreJoinPage';
import { isolatePageTests } from '../pages/testing/pageTests';
import { AdmissionPage } from './AdmissionPage';
import { hostReducer, initialHostState } from './hostState';
import { adoptHostTokenFromUrl, hostTokenOf, rememberHostToken } from './hostTokens';
import { hostEnding } from './outcome';

function respond(...answers: Array<[number, unknown]>) {
  const queue = [...answers];
  return vi.fn(async () => {
    const [status, body] = queue.length > 1 ? queue.shift()! : queue[0];
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
}

const preflight = (extra: object) => [200, { roomId: 'r1', wsUrl: '', users: [], screenSharer: null, maxRoomSize: 6, passwordRequired: false, lobby: false, locked: false, ...extra }] as [number, unknown];

isolatePageTests();

describe('New meeting', () => {
  it('keeps the host token of the room it created', async () => {
    vi.stubGlobal('fetch', respond([201, { roomId: 'abc', hostToken: 'tok-abc' }]));
    const navigate = vi.fn();
    render(<LandingPage navigate={navigate} />);
    fireEvent.click(screen.getByRole('button', { name: 'New meeting' }));
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith('/r/abc'));
    expect(hostTokenOf('abc')).toBe('tok-abc');
  });

  it('asks for the token once when the server wants one, sends it, and remembers it', async () => {
    const fetchMock = respond([401, { code: 'unauthorized', message: 'no' }], [201, { roomId: 'abc', hostToken: 'tok' }]);
    vi.stubGlobal('fetch', fetchMock);
    const navigate = vi.fn();
    render(<LandingPage navigate={navigate} />);
    fireEvent.click(screen.getByRole('button', { name: 'New meeting' }));
    const field = await screen.findByLabelText('Token for starting meetings');
    fireEvent.change(field, { target: { value: 'operator-token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start meeting' }));
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith('/r/abc'));
    const [, init] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer operator-token');
    // Next time it goes with the token, unasked.
    cleanup();
    render(<LandingPage navigate={navigate} />);
    fireEvent.click(screen.getByRole('button', { name: 'New meeting' }));
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(3));
    const [, again] = fetchMock.mock.calls[2] as unknown as [string, RequestInit];
    expect((again.headers as Record<string, string>).Authorization).toBe('Bearer operator-token');
  });

  it('says so when the server refuses the token, and forgets it', async () => {
    window.localStorage.setItem('parley.createRoomToken', 'stale');
    vi.stubGlobal('fetch', respond([401, { code: 'unauthorized', message: 'no' }]));
    render(<LandingPage navigate={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'New meeting' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/did not accept that token/);
    expect(window.localStorage.getItem('parley.createRoomToken')).toBeNull();
  });
});

describe('host tokens', () => {
  it('adopts a token handed over in the URL fragment and takes it out of the address', () => {
    window.history.replaceState(null, '', '/r/r9?name=Ann#hostToken=frag-token');
    adoptHostTokenFromUrl('r9');
    expect(hostTokenOf('r9')).toBe('frag-token');
    expect(window.location.href).not.toContain('frag-token');
    expect(window.location.pathname + window.location.search).toBe('/r/r9?name=Ann');
  });
});

describe('pre-join admission', () => {
  it('asks for the password and joins with it', async () => {
    vi.stubGlobal('fetch', respond(preflight({ passwordRequired: true })));
    const onJoin = vi.fn();
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={onJoin} />);
    const field = await screen.findByLabelText('Meeting password');
    fireEvent.change(field, { target: { value: 'open sesame' } });
    const join = await screen.findByRole('button', { name: 'Join' });
    await vi.waitFor(() => expect((join as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(join);
    expect(onJoin).toHaveBeenCalledWith(expect.objectContaining({ password: 'open sesame' }));
  });

  it('says a wrong password was wrong, with the field to try again', async () => {
    vi.stubGlobal('fetch', respond(preflight({ passwordRequired: true })));
    render(<PreJoinPage roomId="r1" joinError={null} passwordProblem="wrongPassword" onJoin={vi.fn()} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/password is wrong/);
    expect(screen.getByLabelText('Meeting password')).toBeTruthy();
  });

  it('says the host will let you in', async () => {
    vi.stubGlobal('fetch', respond(preflight({ lobby: true })));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    expect(await screen.findByText('The host will let you in.')).toBeTruthy();
    expect(screen.queryByLabelText('Meeting password')).toBeNull();
  });

  it('says a locked meeting is locked, with no Join and no camera', async () => {
    const getUserMedia = vi.fn();
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia, enumerateDevices: async () => [] } });
    vi.stubGlobal('fetch', respond(preflight({ locked: true })));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/locked/);
    expect(screen.queryByRole('button', { name: 'Join' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Back to the start page' }).getAttribute('href')).toBe('/');
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('asks the host for neither password nor patience, and lets them past the lock', async () => {
    rememberHostToken('r1', 'tok');
    vi.stubGlobal('fetch', respond(preflight({ locked: true, lobby: true, passwordRequired: true })));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    expect(await screen.findByRole('button', { name: 'Join' })).toBeTruthy();
    expect(screen.queryByLabelText('Meeting password')).toBeNull();
    expect(screen.queryByText('The host will let you in.')).toBeNull();
  });
});

describe('ways out', () => {
  const snapshot = (closedReason: CallSnapshot['closedReason'], joined = true) => ({ closedReason, joined }) as CallSnapshot;
  const host = hostReducer(
    hostReducer(initialHostState('me'), { type: 'userJoined', payload: { userId: 'ann', displayName: 'Ann', audioMuted: false, videoMuted: false, handRaisedAt: null, role: 'host' } } as never),
    { type: 'removed', payload: { by: 'ann' } } as never,
  );

  it('leads each refusal and ending to its page', () => {
    expect(hostEnding(snapshot({ kind: 'refused', errorCode: 'wrongPassword' }), null)).toEqual({ phase: 'password', problem: 'wrongPassword' });
    expect(hostEnding(snapshot({ kind: 'refused', errorCode: 'roomLocked' }), null)).toEqual({ phase: 'out', outcome: 'roomLocked', by: null });
    expect(hostEnding(snapshot({ kind: 'refused', errorCode: 'admissionDenied' }, false), null)).toMatchObject({ outcome: 'admissionDenied' });
    expect(hostEnding(snapshot({ kind: 'removed' }), host)).toEqual({ phase: 'out', outcome: 'removed', by: 'Ann' });
    expect(hostEnding(snapshot({ kind: 'removed' }, false), host)).toMatchObject({ outcome: 'admissionDenied' });
    expect(hostEnding(snapshot({ kind: 'ended' }), null)).toEqual({ phase: 'out', outcome: 'ended', by: null });
    expect(hostEnding(snapshot({ kind: 'refused', errorCode: 'roomFull' }), null)).toBeNull();
  });

  it.each([
    ['removed', /You were removed.*Ann removed you/],
    ['ended', /The meeting has ended.*Ann ended the meeting/],
    ['admissionDenied', /did not let you in/],
  ] as const)('says %s clearly, with a way back to the start page', (outcome, text) => {
    render(<AdmissionPage outcome={outcome} by="Ann" />);
    expect(screen.getByRole('alert').textContent).toMatch(text);
    expect(screen.getByRole('link', { name: 'Back to the start page' }).getAttribute('href')).toBe('/');
  });
});

describe('desktop start screen', () => {
  it('hosts with the password and the lobby chosen there', async () => {
    const { DesktopStartPage } = await import('../pages/DesktopStartPage');
    const host = vi.fn(async () => ({ ok: true, url: 'http://127.0.0.1:8080/r/abc' }));
    const host_lan = vi.fn(async () => ({ ok: true }));
    const bridge = { state: async () => ({ ok: true, name: 'Grace' }), host, host_lan, join: vi.fn(), connect: vi.fn() };
    render(<DesktopStartPage bridge={bridge as never} />);
    fireEvent.change(screen.getByLabelText('Password for the meeting (optional)'), { target: { value: 'lan-secret' } });
    fireEvent.click(screen.getByLabelText('Let people in one by one (lobby)'));
    await vi.waitFor(() => expect((screen.getByLabelText('Your name') as HTMLInputElement).value).toBe('Grace'));
    fireEvent.click(screen.getByRole('button', { name: 'Host a meeting on this network' }));
    await vi.waitFor(() => expect(host_lan).toHaveBeenCalledWith('Grace', 'lan-secret', true));
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Host a meeting' })).toHaveProperty('disabled', false));
    fireEvent.click(screen.getByRole('button', { name: 'Host a meeting' }));
    await vi.waitFor(() => expect(host).toHaveBeenCalledWith('Grace', false, 'lan-secret', true));
  });
});
