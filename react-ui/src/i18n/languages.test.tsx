// @vitest-environment jsdom
/** The pages in another language: German texts, the Language select, plural forms. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSession } from '../call/testing/fakeSession';
import { FakeSignalingServer } from '../call/testing/fakeServer';
import { LandingPage } from '../pages/LandingPage';
import { CallPage } from '../pages/CallPage';
import { PreJoinPage } from '../pages/PreJoinPage';
import { LANGUAGE_STORAGE_KEY, chooseLanguage, formatNumber } from './index';

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

function room(...names: string[]) {
  return { roomId: 'r1', wsUrl: '', users: names.map((displayName, i) => ({ userId: `u${i}`, displayName })), screenSharer: null, maxRoomSize: 6 };
}

beforeEach(() => {
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await act(() => chooseLanguage(null));
});

describe('languages', () => {
  it('shows the landing page in German, its errors too', async () => {
    await chooseLanguage('de');
    render(<LandingPage navigate={vi.fn()} />);
    expect(document.documentElement.lang).toBe('de');
    expect(screen.getByRole('button', { name: 'Neues Meeting' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Meeting-Link oder -Code'), { target: { value: 'not a link' } });
    fireEvent.click(screen.getByRole('button', { name: 'Öffnen' }));
    expect(screen.getByRole('alert').textContent).toMatch(/kein Meeting-Link/);
    expect(screen.queryByText(/New meeting|Open/)).toBeNull();
  });

  it('switches at once with the Language select, remembers the choice, and forgets it for "browser default"', () => {
    const first = render(<LandingPage navigate={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'New meeting' })).toBeTruthy();
    const select = screen.getByRole('combobox', { name: 'Language' }) as HTMLSelectElement;
    // Each language named in itself, after the browser's.
    expect([...select.options].map((o) => o.text)).toEqual(['Browser default', 'English', 'Deutsch', 'Français', 'Español', 'Português', '简体中文']);
    act(() => {
      fireEvent.change(select, { target: { value: 'de' } });
    });
    expect(screen.getByRole('button', { name: 'Neues Meeting' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('de');

    // The next visit: the page comes up in German, and the select shows the choice.
    first.unmount();
    render(<LandingPage navigate={vi.fn()} />);
    const again = screen.getByRole('combobox', { name: 'Sprache' }) as HTMLSelectElement;
    expect(again.value).toBe('de');
    act(() => {
      fireEvent.change(again, { target: { value: '' } });
    });
    expect(screen.getByRole('button', { name: 'New meeting' })).toBeTruthy();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBeNull();
    expect(document.documentElement.lang).toBe('en');
  });

  it.each([
    ['en', ['Ann'], 'Ann is here.'],
    ['en', ['Ann', 'Bo'], 'Ann, Bo are here.'],
    ['de', ['Ann'], 'Ann ist hier.'],
    ['de', ['Ann', 'Bo'], 'Ann, Bo sind hier.'],
    ['fr', ['Ann', 'Bo'], 'Ann, Bo sont là.'],
    ['zh', ['Ann', 'Bo'], 'Ann、Bo 已在会议中。'],
  ] as const)('says in %s who is in the meeting (%j), in the plural form for their number', async (language, names, text) => {
    await chooseLanguage(language);
    vi.stubGlobal('fetch', answer(200, room(...names)));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    expect(await screen.findByText(text)).toBeTruthy();
  });

  it('shows the pre-join page in German, with German media problems', async () => {
    await chooseLanguage('de');
    vi.stubGlobal('fetch', answer(200, room()));
    render(<PreJoinPage roomId="r1" joinError={null} onJoin={vi.fn()} />);
    expect(await screen.findByRole('button', { name: 'Beitreten' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Bereit zum Beitreten?' })).toBeTruthy();
    expect(screen.getByLabelText('Ihr Name')).toBeTruthy();
    // jsdom has no camera: the page says so, in German.
    await vi.waitFor(() => expect(screen.getByRole('note').textContent).toMatch(/trotzdem teilnehmen/));
  });

  it('shows the call in German, and the call can switch language from its device panel', async () => {
    const server = new FakeSignalingServer('room');
    const alice = fakeSession(server, 'alice', 'Alice');
    await chooseLanguage('de');
    render(<CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Verlassen' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Einladungslink kopieren' })).toBeTruthy();
    expect(screen.getByText('Alice (Sie)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Geräte' }));
    act(() => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Sprache' }), { target: { value: 'fr' } });
    });
    expect(screen.getByRole('button', { name: 'Quitter' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    alice.leave();
  });

  it('writes numbers as the shown language does', async () => {
    await chooseLanguage('de');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    await chooseLanguage('en');
    expect(formatNumber(1234.5)).toBe('1,234.5');
  });
});
