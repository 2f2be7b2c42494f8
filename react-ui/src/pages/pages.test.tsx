// @vitest-environment jsdom
/** The landing and pre-join pages, with `fetch` answered by the test. */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LandingPage } from './LandingPage';
import { PreJoinPage } from './PreJoinPage';
import { answer, isolatePageTests } from './testing/pageTests';

isolatePageTests();

describe('LandingPage', () => {
  it('New meeting creates a room and goes to it', async () => {
    const fetchMock = answer(201, { roomId: 'abc_123' });
    vi.stubGlobal('fetch', fetchMock);
    const navigate = vi.fn();
    render(<LandingPage navigate={navigate} />);
    fireEvent.click(screen.getByRole('button', { name: 'New meeting' }));
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith('/r/abc_123'));
    expect(fetchMock).toHaveBeenCalledWith('/createRoom', expect.objectContaining({ method: 'POST' }));
  });

  it('Open goes to a pasted link, and explains what it cannot read', () => {
    const navigate = vi.fn();
    render(<LandingPage navigate={navigate} />);
    const input = screen.getByLabelText('Meeting link or code');
    fireEvent.change(input, { target: { value: 'http://10.0.0.2:8080/r/xyz?name=Bo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(navigate).toHaveBeenCalledWith('/r/xyz');
    fireEvent.change(input, { target: { value: 'not a link' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByRole('alert').textContent).toMatch(/not a meeting link/);
  });
});

describe('PreJoinPage', () => {
  it.each([
    [404, 'roomNotFound', /doesn't exist/],
    [409, 'roomFull', /full/],
  ])('says so in an alert when the pre-flight answers %i', async (status, code, text) => {
    vi.stubGlobal('fetch', answer(status, { code, message: code }));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(text);
    expect(screen.queryByRole('button', { name: 'Join' })).toBeNull();
  });

  it('prefills the name from ?name=, remembers it, and joins (without camera where there is none)', async () => {
    vi.stubGlobal('fetch', answer(200, { roomId: 'r1', wsUrl: '', users: [], screenSharer: null, maxRoomSize: 6 }));
    window.history.replaceState(null, '', '/r/r1?name=Ann');
    const onJoin = vi.fn();
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={onJoin} />);
    const name = screen.getByLabelText('Your name') as HTMLInputElement;
    expect(name.value).toBe('Ann');
    // No Join until the pre-flight answered (the page could still turn into an error).
    expect(screen.queryByRole('button', { name: 'Join' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement).disabled).toBe(true);
    const join = await screen.findByRole('button', { name: 'Join' });
    await vi.waitFor(() => expect((join as HTMLButtonElement).disabled).toBe(false));
    // jsdom has no camera: the page says so and still lets us join.
    expect(screen.getByRole('note').textContent).toMatch(/still join/);
    fireEvent.change(name, { target: { value: 'Ann B' } });
    fireEvent.click(join);
    expect(onJoin).toHaveBeenCalledWith({ displayName: 'Ann B', stream: null, audioMuted: true, videoMuted: true });
    expect(window.localStorage.getItem('parley.displayName')).toBe('Ann B');
  });

  it('shows why the last join was refused', () => {
    vi.stubGlobal('fetch', answer(200, { roomId: 'r1', users: [] }));
    render(<PreJoinPage roomId="r1" joinError="This meeting is full." onJoin={vi.fn()} />);
    expect(screen.getByRole('alert').textContent).toBe('This meeting is full.');
  });
});
