// @vitest-environment jsdom
/** The Devices panel's "Noise suppression" switch. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseLanguage } from '../i18n';
import { DevicePanel } from './DevicePanel';
import { NoiseSuppressionSwitch } from './NoiseSuppressionSwitch';

const microphone = { kind: 'audio', id: 'mic', enabled: true, getSettings: () => ({ deviceId: 'mic1' }) };
const withMicrophone = {
  getVideoTracks: () => [],
  getAudioTracks: () => [microphone],
  getTracks: () => [microphone],
} as unknown as MediaStream;

beforeEach(() => {
  vi.stubGlobal('navigator', {
    ...navigator,
    mediaDevices: { enumerateDevices: async () => [], addEventListener: () => undefined, removeEventListener: () => undefined },
  });
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await chooseLanguage(null);
});

describe('NoiseSuppressionSwitch', () => {
  it('is a switch named "Noise suppression", on unless off, that reports the new state', () => {
    const onChange = vi.fn();
    const { rerender } = render(<NoiseSuppressionSwitch status="on" onChange={onChange} />);
    const control = screen.getByRole('switch', { name: 'Noise suppression' }) as HTMLInputElement;
    expect(control.checked).toBe(true);
    fireEvent.click(control);
    expect(onChange).toHaveBeenLastCalledWith(false);
    rerender(<NoiseSuppressionSwitch status="off" onChange={onChange} />);
    expect(control.checked).toBe(false);
    fireEvent.click(control);
    expect(onChange).toHaveBeenLastCalledWith(true);
    // Loading is on as far as the person is concerned.
    rerender(<NoiseSuppressionSwitch status="starting" onChange={onChange} />);
    expect(control.checked).toBe(true);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says when this browser cannot run it, as the switch\'s description', () => {
    render(<NoiseSuppressionSwitch status="unavailable" onChange={vi.fn()} />);
    const control = screen.getByRole('switch', { name: 'Noise suppression' });
    expect(screen.getByRole('status').textContent).toMatch(/cannot run in this browser: your microphone is sent as it is/);
    expect(control.getAttribute('aria-describedby')).toBe('noise-unavailable');
  });

  it('speaks the page\'s language', async () => {
    await chooseLanguage('de');
    render(<NoiseSuppressionSwitch status="on" onChange={vi.fn()} />);
    expect(screen.getByRole('switch', { name: 'Rauschunterdrückung' })).toBeTruthy();
  });

  it('is in the Devices panel when a microphone is sent, not without one', async () => {
    const noise = { status: 'on' as const, onChange: vi.fn() };
    const { rerender } = render(<DevicePanel stream={withMicrophone} onSwitch={vi.fn()} noiseSuppression={noise} />);
    expect(await screen.findByRole('switch', { name: 'Noise suppression' })).toBeTruthy();
    rerender(<DevicePanel stream={null} onSwitch={vi.fn()} noiseSuppression={noise} />);
    expect(screen.queryByRole('switch')).toBeNull();
  });
});
