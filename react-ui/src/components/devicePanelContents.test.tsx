// @vitest-environment jsdom
/** The Devices panel's contents: camera preview, microphone meter, speaker choice, full device names. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAudioOutputForTests } from '../media/audioOutput';
import { DevicePanel } from './DevicePanel';

const LONG = 'Echo Cancelling Speakerphone (Jabra SPEAK 510 USB) - Built-in Analog Stereo';
const devices = [
  { kind: 'videoinput', deviceId: 'cam1', label: 'Integrated Camera' },
  { kind: 'audioinput', deviceId: 'mic1', label: LONG },
  { kind: 'audiooutput', deviceId: 'default', label: 'Default' },
  { kind: 'audiooutput', deviceId: 'spk2', label: 'Headphones' },
];

function track(kind: 'audio' | 'video', deviceId: string) {
  return { kind, id: kind, enabled: true, getSettings: () => ({ deviceId }) };
}
const stream = {
  getVideoTracks: () => [track('video', 'cam1')],
  getAudioTracks: () => [track('audio', 'mic1')],
  getTracks: () => [track('video', 'cam1'), track('audio', 'mic1')],
} as unknown as MediaStream;

const play = HTMLMediaElement.prototype.play;
beforeEach(() => {
  window.localStorage.clear();
  resetAudioOutputForTests();
  vi.stubGlobal('navigator', {
    ...navigator,
    mediaDevices: { enumerateDevices: async () => devices, addEventListener: () => undefined, removeEventListener: () => undefined },
  });
  // jsdom plays nothing: play() and setSinkId() are the browser's.
  HTMLMediaElement.prototype.play = () => Promise.resolve();
  Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', {
    configurable: true,
    value: async () => undefined,
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  delete (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId;
  HTMLMediaElement.prototype.play = play;
  resetAudioOutputForTests();
});

describe('DevicePanel', () => {
  it('shows a camera preview and a microphone meter', async () => {
    render(<DevicePanel stream={stream} onSwitch={vi.fn()} />);
    await screen.findByLabelText('Camera');
    expect(screen.getByLabelText('Your camera').tagName).toBe('VIDEO');
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeTruthy();
  });

  it('shows no preview while the camera is off', async () => {
    const off = { ...stream, getVideoTracks: () => [{ ...track('video', 'cam1'), enabled: false }] } as unknown as MediaStream;
    render(<DevicePanel stream={off} onSwitch={vi.fn()} />);
    await screen.findByLabelText('Camera');
    expect(screen.queryByLabelText('Your camera')).toBeNull();
  });

  it('offers the speakers, and remembers the one chosen', async () => {
    render(<DevicePanel stream={stream} onSwitch={vi.fn()} />);
    const speaker = (await screen.findByLabelText('Speaker')) as HTMLSelectElement;
    expect([...speaker.options].map((o) => o.textContent)).toEqual(['Default', 'Headphones']);
    fireEvent.change(speaker, { target: { value: 'spk2' } });
    await vi.waitFor(() => expect(window.localStorage.getItem('parley.speaker')).toBe('spk2'));
    expect(speaker.value).toBe('spk2');
  });

  it('has no speaker choice where the browser cannot choose one', async () => {
    delete (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId;
    render(<DevicePanel stream={stream} onSwitch={vi.fn()} />);
    await screen.findByLabelText('Camera');
    expect(screen.queryByLabelText('Speaker')).toBeNull();
  });

  it('gives a long device name in full as the tooltip', async () => {
    render(<DevicePanel stream={stream} onSwitch={vi.fn()} />);
    const microphone = (await screen.findByLabelText('Microphone')) as HTMLSelectElement;
    expect(microphone.title).toBe(LONG);
    expect(microphone.options[0].title).toBe(LONG);
  });
});
