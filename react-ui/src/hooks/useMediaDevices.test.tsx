// @vitest-environment jsdom
/** The device lists: kept from one listing to the next use (a panel opened again draws its pickers at once). */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMediaDevices } from './useMediaDevices';

const camera = { kind: 'videoinput', deviceId: 'cam-1', label: 'Front camera', groupId: 'g' } as MediaDeviceInfo;

describe('useMediaDevices', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('starts from the devices last listed, so a panel opened again draws its pickers at once', async () => {
    let resolve: (all: MediaDeviceInfo[]) => void = () => undefined;
    const enumerateDevices = vi.fn(() => new Promise<MediaDeviceInfo[]>((r) => (resolve = r)));
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { enumerateDevices, addEventListener: vi.fn(), removeEventListener: vi.fn() } });

    const first = renderHook(() => useMediaDevices(null));
    await act(async () => resolve([camera]));
    expect(first.result.current.cameras).toEqual([camera]);
    first.unmount();

    // The second panel's listing has not answered yet: its first render already has the camera.
    const second = renderHook(() => useMediaDevices(null));
    expect(second.result.current.cameras).toEqual([camera]);
    expect(enumerateDevices).toHaveBeenCalledTimes(2);
    second.unmount();
  });
});
