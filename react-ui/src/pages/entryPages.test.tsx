// @vitest-environment jsdom
/** Issue 17's entry pages: Open needs a code, the name field comes first and an empty name is said
 * to be Guest, and a link to an unknown meeting offers another code and a way home. */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LandingPage } from './LandingPage';
import { PreJoinPage } from './PreJoinPage';
import { answer, isolatePageTests } from './testing/pageTests';

isolatePageTests();

describe('the landing page', () => {
  it('keeps Open disabled until something is typed', () => {
    render(<LandingPage navigate={vi.fn()} />);
    const open = screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement;
    expect(open.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Meeting link or code'), { target: { value: '   ' } });
    expect(open.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Meeting link or code'), { target: { value: 'abc123' } });
    expect(open.disabled).toBe(false);
  });
});

describe('the pre-join page', () => {
  it('focuses the name field and says that an empty name appears as Guest', async () => {
    vi.stubGlobal('fetch', answer(200, { roomId: 'r1', wsUrl: '', users: [], screenSharer: null, maxRoomSize: 6 }));
    const onJoin = vi.fn();
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={onJoin} />);
    const name = screen.getByLabelText('Your name') as HTMLInputElement;
    expect(document.activeElement).toBe(name);
    expect(name.value).toBe('');
    expect(screen.getByText(/You will appear as Guest/)).toBeTruthy();
    expect(name.getAttribute('aria-describedby')).toBe('display-name-hint');
    fireEvent.change(name, { target: { value: 'Ann' } });
    expect(screen.queryByText(/You will appear as Guest/)).toBeNull();
    expect(name.getAttribute('aria-describedby')).toBeNull();
  });

  it('on a meeting that does not exist, offers the code field and a way home', async () => {
    vi.stubGlobal('fetch', answer(404, { code: 'roomNotFound', message: 'roomNotFound' }));
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    render(<PreJoinPage roomId="gone" joinError={null} onJoin={vi.fn()} />);
    await screen.findByRole('alert');
    expect(screen.getByRole('link', { name: 'Home' }).getAttribute('href')).toBe('/');
    const code = screen.getByLabelText('Meeting link or code');
    const open = screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement;
    expect(open.disabled).toBe(true);
    fireEvent.change(code, { target: { value: 'https://meet.example/r/abc_123' } });
    fireEvent.click(open);
    expect(assign).toHaveBeenCalledWith('/r/abc_123');
  });
});
