// @vitest-environment jsdom
/** The desktop start screen and the language the app remembers (the page's origin changes per start). */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LANGUAGE_STORAGE_KEY, chooseLanguage } from '../i18n';
import { LandingPage } from '../pages/LandingPage';
import type { DesktopApi } from './desktopBridge';

function showStart(language: string | undefined) {
  const api = {
    state: vi.fn(async () => ({ ok: true, version: '0.1.0', name: 'Ada', recent: [], language })),
    host: vi.fn(async () => ({ ok: true })),
    join: vi.fn(async () => ({ ok: true })),
    connect: vi.fn(async () => ({ ok: true })),
    set_language: vi.fn(async () => ({ ok: true })),
  } satisfies DesktopApi;
  (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api };
  render(<LandingPage navigate={vi.fn()} />);
  return api;
}

afterEach(async () => {
  cleanup();
  delete (window as unknown as { pywebview?: unknown }).pywebview;
  await act(() => chooseLanguage(null));
});

describe('the desktop start screen in the language the app remembers', () => {
  it('shows the remembered language on a fresh origin', async () => {
    window.localStorage.clear();
    const api = showStart('de');
    expect(await screen.findByRole('button', { name: 'Meeting veranstalten' })).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Sprache' }) as HTMLSelectElement).value).toBe('de');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('de');
    expect(api.set_language).not.toHaveBeenCalled();
  });

  it('tells the app of a choice made in the Language select, and of going back to the system language', async () => {
    window.localStorage.clear();
    const api = showStart('');
    await screen.findByRole('button', { name: 'Host a meeting' });
    const select = screen.getByRole('combobox', { name: 'Language' });
    act(() => {
      fireEvent.change(select, { target: { value: 'fr' } });
    });
    expect(screen.getByRole('button', { name: 'Organiser une réunion' })).toBeTruthy();
    expect(api.set_language).toHaveBeenLastCalledWith('fr');
    act(() => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Langue' }), { target: { value: '' } });
    });
    expect(api.set_language).toHaveBeenLastCalledWith('');
    expect(screen.getByRole('button', { name: 'Host a meeting' })).toBeTruthy();
  });

  it('passes on a choice made on this origin that the app has not heard of', async () => {
    await chooseLanguage('es');
    const api = showStart('');
    expect(await screen.findByRole('button', { name: 'Organizar una reunión' })).toBeTruthy();
    await vi.waitFor(() => expect(api.set_language).toHaveBeenCalledWith('es'));
  });
});

describe('the desktop start screen says the app\'s refusals in its language', () => {
  it('translates a refusal the app gives a code for, and shows any other in the app\'s words', async () => {
    await chooseLanguage('de');
    const api = showStart('de');
    api.join.mockResolvedValueOnce({ ok: false, code: 'badLink', error: 'paste the whole meeting link, like https://server/r/abc123' } as never);
    api.connect.mockResolvedValueOnce({ ok: false, error: 'port 8080 is in use' } as never);
    fireEvent.change(await screen.findByLabelText('Meeting-Link'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Meeting beitreten' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Fügen Sie den ganzen Meeting-Link ein, etwa https://server/r/abc123');
    fireEvent.change(screen.getByLabelText('Serveradresse'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Mit einem Server verbinden' }));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('port 8080 is in use'));
  });
});
