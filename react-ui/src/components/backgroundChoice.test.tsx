// @vitest-environment jsdom
/** The background choice: Off, Blur and the images as radios, and what it says while starting or unavailable. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseLanguage } from '../i18n';
import { BackgroundChoice } from './BackgroundChoice';

afterEach(async () => {
  cleanup();
  await chooseLanguage(null);
});

describe('BackgroundChoice', () => {
  it('offers Off, Blur and the images as radios, the choice checked, and reports a new one', () => {
    const onChange = vi.fn();
    render(<BackgroundChoice choice="blur" status="on" onChange={onChange} />);
    const names = screen.getAllByRole('radio').map((r) => r.closest('label')!.textContent);
    expect(names).toEqual(['Off', 'Blur', 'Sunset', 'Lagoon', 'Meadow']);
    expect((screen.getByRole('radio', { name: 'Blur' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('group', { name: 'Background' })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Sunset' }));
    expect(onChange).toHaveBeenLastCalledWith('sunset');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says when it cannot run here (the camera is sent as it is)', () => {
    render(<BackgroundChoice choice="blur" status="unavailable" onChange={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Background effects cannot run here: your camera is sent as it is.');
  });

  it('speaks the page language', async () => {
    await chooseLanguage('de');
    render(<BackgroundChoice choice="off" status="off" onChange={() => undefined} />);
    expect(screen.getByRole('radio', { name: 'Weichzeichnen' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Hintergrund' })).toBeTruthy();
  });
});
