/** The camera, microphone and speaker a person chose last, remembered in this browser (localStorage). */

const KEYS = { audio: 'parley.microphone', video: 'parley.camera', output: 'parley.speaker' } as const;

/** A kind of device whose choice is remembered (`output`: where remote sound plays). */
export type DeviceKind = keyof typeof KEYS;

/** The device id chosen last for `kind`, if any. */
export function rememberedDevice(kind: DeviceKind): string | undefined {
  try {
    return window.localStorage.getItem(KEYS[kind]) ?? undefined;
  } catch {
    return undefined; // storage blocked (private mode, sandboxed frame)
  }
}

/** Remembers `deviceId` as the choice for `kind`. */
export function rememberDevice(kind: DeviceKind, deviceId: string): void {
  try {
    window.localStorage.setItem(KEYS[kind], deviceId);
  } catch {
    // Not remembered: the browser's default is used next time.
  }
}
