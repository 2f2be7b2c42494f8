// @vitest-environment jsdom
/** The desktop start screen, driven through a fake `window.pywebview.api` (the real one is Python). */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LandingPage } from '../pages/LandingPage';
import { call, waitForBridge, type DesktopApi } from './desktopBridge';

function fakeApi(overrides: Partial<DesktopApi> = {}): DesktopApi {
  return {
    state: vi.fn(async () => ({ ok: true, version: '0.1.0', name: 'Ada', recent: ['https://meet.example.org/'] })),
    host: vi.fn(async () => ({ ok: true, url: 'http://127.0.0.1:8080/r/abc' })),
    join: vi.fn(async () => ({ ok: false, error: 'paste the whole meeting link' })),
    connect: vi.fn(async () => ({ ok: true, url: 'https://meet.example.org/' })),
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  delete (window as unknown as { pywebview?: unknown }).pywebview;
});

describe('waitForBridge', () => {
  it('is null in an ordinary browser, at once', async () => {
    expect(await waitForBridge(window, 10_000)).toBeNull();
  });

  it('waits for pywebviewready on the page the desktop app marked, before pywebview exists', async () => {
    window.history.replaceState(null, '', '/?desktop');
    try {
      const found = waitForBridge(window, 10, 10_000);
      const api = fakeApi();
      (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api };
      window.dispatchEvent(new Event('pywebviewready'));
      expect(await found).toBe(api);
    } finally {
      window.history.replaceState(null, '', '/');
      window.sessionStorage.clear();
    }
  });

  it('waits for pywebviewready when pywebview is there but its api is not yet', async () => {
    const pywin = window as unknown as { pywebview: { api?: DesktopApi } };
    pywin.pywebview = {};
    const found = waitForBridge(window, 10_000);
    const api = fakeApi();
    pywin.pywebview.api = api;
    window.dispatchEvent(new Event('pywebviewready'));
    expect(await found).toBe(api);
  });
});

describe('call', () => {
  it('turns a failing bridge call into a result with the error', async () => {
    expect(await call(async () => { throw new Error('gone'); })).toEqual({ ok: false, error: 'gone' });
  });
});

describe('the desktop start screen', () => {
  it('replaces the landing page in the desktop window and hosts with the name', async () => {
    const api = fakeApi();
    (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api };
    render(<LandingPage navigate={vi.fn()} />);
    const nameField = await screen.findByLabelText('Your name');
    await vi.waitFor(() => expect(nameField).toHaveProperty('value', 'Ada'));
    expect(screen.queryByRole('button', { name: 'New meeting' })).toBeNull();
    fireEvent.change(nameField, { target: { value: 'Grace' } });
    fireEvent.click(screen.getByRole('button', { name: 'Host a meeting' }));
    await vi.waitFor(() => expect(api.host).toHaveBeenCalledWith('Grace'));
  });

  it('is the ordinary landing page where the app refuses the bridge (a hosted server in its window)', async () => {
    const state = vi.fn(async () => ({ ok: false, error: 'this page may not control Parley' }));
    (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api: fakeApi({ state }) };
    render(<LandingPage navigate={vi.fn()} />);
    expect(await screen.findByRole('button', { name: 'New meeting' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Host a meeting' })).toBeNull();
  });

  it('shows why a join failed and offers recent servers', async () => {
    const api = fakeApi();
    (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api };
    render(<LandingPage navigate={vi.fn()} />);
    fireEvent.change(await screen.findByLabelText('Meeting link'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join a meeting' }));
    expect((await screen.findByRole('alert')).textContent).toContain('paste the whole meeting link');
    fireEvent.click(await screen.findByRole('button', { name: 'https://meet.example.org/' }));
    await vi.waitFor(() => expect(api.connect).toHaveBeenCalledWith('https://meet.example.org/', 'Ada'));
  });

  it('offers LAN hosting and discovery only when the app has them', async () => {
    const host_lan = vi.fn(async () => ({ ok: true }));
    const fingerprint = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
    const discover = vi.fn(async () => ({ ok: true, servers: [{ name: 'Room 4', url: 'https://192.0.2.9:8443/', fingerprint }] }));
    (window as unknown as { pywebview: { api: DesktopApi } }).pywebview = { api: fakeApi({ host_lan, discover }) };
    render(<LandingPage navigate={vi.fn()} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Host a meeting on this network' }));
    await vi.waitFor(() => expect(host_lan).toHaveBeenCalled());
    const find = screen.getByRole('button', { name: 'Find meetings on this network' });
    await vi.waitFor(() => expect(find).toHaveProperty('disabled', false));  // the host call is over
    fireEvent.click(find);
    const found = await screen.findByRole('button', { name: /Room 4/ });
    expect(found.textContent).toContain('192.0.2.9');
    // The fingerprint beside it, to compare with the one on the host's screen.
    expect(found.closest('li')?.textContent).toContain(`Certificate SHA-256 ${fingerprint}`);
  });
});
