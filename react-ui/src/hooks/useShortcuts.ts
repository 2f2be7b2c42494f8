/**
 * Single-key shortcuts for the call (M microphone, V camera, S share, C chat, H hand, L layout,
 * ? the list). A key only acts when nobody is typing: not in a text field (input, textarea, select,
 * contenteditable), and not with Ctrl, Alt or Meta held, so the browser's and the system's own
 * shortcuts (Ctrl+S, Alt+Tab...) and typed text are never taken.
 */
import { useEffect, useRef } from 'react';

/** The keys the call knows, by what they do. */
export const SHORTCUT_KEYS = {
  microphone: 'm',
  camera: 'v',
  share: 's',
  chat: 'c',
  hand: 'h',
  layout: 'l',
  help: '?',
} as const;

/** A shortcut's action name. */
export type ShortcutAction = keyof typeof SHORTCUT_KEYS;

/** What each shortcut does; an action left out (or undefined) leaves its key alone. */
export type ShortcutMap = Partial<Record<ShortcutAction, (() => void) | undefined>>;

/** True when `target` takes typed text, where a letter is a letter and not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  // jsdom has no isContentEditable; an ancestor's contenteditable also makes this editable.
  if (element.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (element.closest('textarea, select')) return true;
  if (element instanceof HTMLInputElement) {
    // Checkboxes, radios and buttons take no text: a shortcut there is fine.
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(element.type);
  }
  return false;
}

/** The action a key press asks for, or null (typing, a modifier held, or an unknown key). */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target'>): ShortcutAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTyping(event.target)) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const [action, bound] of Object.entries(SHORTCUT_KEYS)) if (bound === key) return action as ShortcutAction;
  return null;
}

/** Runs `actions[action]` when its key is pressed on the page (see {@link shortcutFor}). */
export function useShortcuts(actions: ShortcutMap): void {
  const current = useRef(actions);
  current.current = actions;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return; // a held key toggles once, not on and off
      const action = shortcutFor(event);
      const run = action ? current.current[action] : undefined;
      if (!run) return;
      event.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
