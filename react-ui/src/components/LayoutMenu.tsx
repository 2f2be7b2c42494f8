/**
 * The Layout button in the call's header and its menu: grid or speaker view (the current one is
 * checked), Picture-in-Picture and full screen where the browser has them, and the shortcut list.
 * A change of layout is also announced (a polite live region), as the L key changes it unseen.
 */
import { memo, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LAYOUT_MODES, type LayoutMode } from '../layout/layout';

/** Props of {@link LayoutMenu}. */
export interface LayoutMenuProps {
  mode: LayoutMode;
  onMode: (mode: LayoutMode) => void;
  /** Picture-in-Picture: shown only when the browser supports it. */
  pictureInPicture: { open: () => boolean; onToggle: () => void } | null;
  /** Full screen: shown only when the browser allows it. */
  fullscreen: { open: () => boolean; onToggle: () => void } | null;
  onShortcuts: () => void;
}

/** The Layout menu button. */
export const LayoutMenu = memo(function LayoutMenu({ mode, onMode, pictureInPicture, fullscreen, onShortcuts }: LayoutMenuProps) {
  const { t } = useTranslation('layout');
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const modeName = (m: LayoutMode) => t(m === 'grid' ? 'grid' : 'speaker');

  // The announcement follows the layout, but not on the first render (nothing changed then).
  const [announced, setAnnounced] = useState('');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setAnnounced(t('current', { layout: modeName(mode) }));
  }, [mode]);

  useEffect(() => {
    if (!open) return;
    const items = root.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]');
    (root.current?.querySelector<HTMLElement>('[aria-checked="true"]') ?? items?.[0])?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const closeMenu = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  const choose = (action: () => void) => () => {
    closeMenu(true);
    action();
  };
  const onMenuKeyDown = (event: React.KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (event.key in move) {
      event.preventDefault();
      items[(move[event.key] + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeMenu(true);
    } else if (event.key === 'Tab') {
      closeMenu(false);
    }
  };

  return (
    <div className="layoutmenu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--ghost layoutmenu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <svg width={18} height={18} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M3 3h8v8H3V3zm10 0h8v8h-8V3zM3 13h8v8H3v-8zm10 0h8v8h-8v-8z" />
        </svg>
        {t('layout')}
      </button>
      {open && (
        <div className="layoutmenu__menu" role="menu" id={menuId} aria-label={t('layout')} onKeyDown={onMenuKeyDown}>
          {LAYOUT_MODES.map((m) => (
            <button key={m} type="button" role="menuitemradio" aria-checked={m === mode} tabIndex={-1} className="layoutmenu__item" onClick={choose(() => onMode(m))}>
              <span className="layoutmenu__check" aria-hidden="true">
                {m === mode ? '✓' : ''}
              </span>
              {modeName(m)}
            </button>
          ))}
          <div role="separator" className="layoutmenu__separator" />
          {pictureInPicture && (
            <button type="button" role="menuitem" tabIndex={-1} className="layoutmenu__item" onClick={choose(pictureInPicture.onToggle)}>
              {t(pictureInPicture.open() ? 'exitPictureInPicture' : 'pictureInPicture')}
            </button>
          )}
          {fullscreen && (
            <button type="button" role="menuitem" tabIndex={-1} className="layoutmenu__item" onClick={choose(fullscreen.onToggle)}>
              {t(fullscreen.open() ? 'exitFullscreen' : 'fullscreen')}
            </button>
          )}
          <button type="button" role="menuitem" tabIndex={-1} className="layoutmenu__item" onClick={choose(onShortcuts)}>
            {t('shortcuts.open')}
          </button>
        </div>
      )}
      <span className="visually-hidden" role="status">
        {announced}
      </span>
    </div>
  );
});
