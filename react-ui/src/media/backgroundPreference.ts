/**
 * The background behind the person on camera (issue 15): off, blurred, or one of the bundled
 * images; remembered in this browser (the desktop app keeps localStorage in its profile).
 */

/** The bundled background images, by id (files in ./backgrounds, texts in the `background` namespace). */
export const BACKGROUND_IMAGES = ['sunset', 'lagoon', 'meadow'] as const;

/** One of the bundled background images. */
export type BackgroundImage = (typeof BACKGROUND_IMAGES)[number];

/** What is behind the person: nothing changed, a blur of the room, or a bundled image. */
export type BackgroundChoice = 'off' | 'blur' | BackgroundImage;

/** Every choice, in the order the pickers show them. */
export const BACKGROUND_CHOICES: readonly BackgroundChoice[] = ['off', 'blur', ...BACKGROUND_IMAGES];

const KEY = 'parley.background';

/** `value` as a choice, or 'off' for anything else (an old or hand-edited value). */
export function parseBackgroundChoice(value: string | null | undefined): BackgroundChoice {
  return (BACKGROUND_CHOICES as readonly string[]).includes(value ?? '') ? (value as BackgroundChoice) : 'off';
}

/** The remembered choice; off unless the person chose another in this browser. */
export function backgroundWanted(): BackgroundChoice {
  try {
    return parseBackgroundChoice(window.localStorage.getItem(KEY));
  } catch {
    return 'off'; // storage blocked (private mode, sandboxed frame): the default
  }
}

/** Remembers the background choice for the next call. */
export function rememberBackground(choice: BackgroundChoice): void {
  try {
    window.localStorage.setItem(KEY, choice);
  } catch {
    // Not remembered: off next time.
  }
}
