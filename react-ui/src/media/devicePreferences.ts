/** The camera and microphone a person chose last, remembered in this browser (localStorage). */

const KEYS = { audio: 'parley.microphone', video: 'parley.camera' } as const;

/** The device id chosen last for `kind`, if any. */
export function rememberedDevice(kind: 'audio' | 'video'): string | undefined {
  try {
    return window.localStorage.getItem(KEYS[kind]) ?? undefined;
  } catch {
    return undefined; // storage blocked (private mode, sandboxed frame)
  }
}

/** Remembers `deviceId` as the choice for `kind`. */
export function rememberDevice(kind: 'audio' | 'video', deviceId: string): void {
  try {
    window.localStorage.setItem(KEYS[kind], deviceId);
  } catch {
    // Not remembered: the browser's default is used next time.
  }
}
