/**
 * Where the others' sound plays: the speaker chosen in the Devices panel, remembered in this
 * browser, applied with `HTMLMediaElement.setSinkId` to every element that plays a remote stream
 * (each remote tile's `<video>` carries its person's audio), including those mounted later.
 * Browsers without `setSinkId` (Firefox before 116, Safari) play through the system default; the
 * panel hides the choice there. No React: components register their elements.
 */
import { rememberDevice, rememberedDevice } from './devicePreferences';

/** The part of a media element this module uses (`setSinkId` is missing in some browsers). */
export interface SinkElement {
  setSinkId?: (sinkId: string) => Promise<void>;
  sinkId?: string;
}

const elements = new Set<SinkElement>();
let chosen: string | undefined;
let loaded = false;

/** True when this browser lets a page choose where a media element's sound plays. */
export function canChooseAudioOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** The speaker chosen (remembered from an earlier visit), or undefined for the system default. */
export function chosenAudioOutput(): string | undefined {
  if (!loaded) {
    chosen = rememberedDevice('output');
    loaded = true;
  }
  return chosen;
}

function apply(element: SinkElement, sinkId: string): Promise<void> {
  if (!element.setSinkId || element.sinkId === sinkId) return Promise.resolve();
  return element.setSinkId(sinkId);
}

/**
 * Plays `element`'s sound through the chosen speaker, now and whenever the choice changes; returns
 * the function that stops following it (call it when the element goes).
 */
export function followAudioOutput(element: SinkElement): () => void {
  elements.add(element);
  const sinkId = chosenAudioOutput();
  // A remembered speaker that is gone (unplugged) rejects: the element keeps the default.
  if (sinkId) apply(element, sinkId).catch(() => undefined);
  return () => {
    elements.delete(element);
  };
}

/**
 * Plays every followed element through `sinkId` and remembers it for next time. Rejects (and
 * changes nothing) when the browser refuses that device, as `setSinkId` does.
 */
export async function chooseAudioOutput(sinkId: string): Promise<void> {
  const followed = [...elements];
  const previous = chosenAudioOutput();
  try {
    await Promise.all(followed.map((element) => apply(element, sinkId)));
  } catch (error) {
    if (previous !== undefined) await Promise.allSettled(followed.map((element) => apply(element, previous)));
    throw error;
  }
  chosen = sinkId;
  rememberDevice('output', sinkId);
}

/** Forget the in-memory state (tests: as a new page load). */
export function resetAudioOutputForTests(): void {
  elements.clear();
  chosen = undefined;
  loaded = false;
}
