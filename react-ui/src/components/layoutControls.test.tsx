// @vitest-environment jsdom
/** The Layout menu, the pin and the shortcut list: their accessible names and keyboard behaviour. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseLanguage } from '../i18n';
import { LayoutMenu, type LayoutMenuProps } from './LayoutMenu';
import { PinButton } from './PinButton';
import { ShortcutsDialog } from './ShortcutsDialog';

afterEach(async () => {
  cleanup();
  await chooseLanguage(null);
});

const menuProps = (over: Partial<LayoutMenuProps> = {}): LayoutMenuProps => ({
  mode: 'grid',
  onMode: vi.fn(),
  pictureInPicture: null,
  fullscreen: null,
  onShortcuts: vi.fn(),
  ...over,
});

describe('LayoutMenu', () => {
  it('is a button named Layout whose menu checks the current layout', () => {
    const props = menuProps();
    render(<LayoutMenu {...props} />);
    const button = screen.getByRole('button', { name: 'Layout' });
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('menu', { name: 'Layout' })).toBeTruthy();
    const grid = screen.getByRole('menuitemradio', { name: 'Grid' });
    expect(grid.getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(grid); // the focus goes to the current layout
    expect(screen.getByRole('menuitemradio', { name: 'Speaker view' }).getAttribute('aria-checked')).toBe('false');

    fireEvent.click(screen.getByRole('menuitemradio', { name: 'Speaker view' }));
    expect(props.onMode).toHaveBeenCalledWith('speaker');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('announces a change of layout', () => {
    const view = render(<LayoutMenu {...menuProps()} />);
    expect(screen.getByRole('status').textContent).toBe('');
    view.rerender(<LayoutMenu {...menuProps({ mode: 'speaker' })} />);
    expect(screen.getByRole('status').textContent).toBe('Layout: Speaker view');
  });

  it('moves with the arrow keys and closes on Escape, back on its button', () => {
    render(<LayoutMenu {...menuProps({ mode: 'speaker' })} />);
    const button = screen.getByRole('button', { name: 'Layout' });
    fireEvent.click(button);
    expect(document.activeElement).toBe(screen.getByRole('menuitemradio', { name: 'Speaker view' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(screen.getByRole('menuitemradio', { name: 'Grid' }));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Keyboard shortcuts' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('offers Picture-in-Picture and full screen only where the browser has them', () => {
    const view = render(<LayoutMenu {...menuProps()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Layout' }));
    expect(screen.queryByRole('menuitem', { name: 'Picture in picture' })).toBeNull();
    expect(screen.queryByRole('menuitem', { name: 'Full screen' })).toBeNull();

    const pip = { open: () => false, onToggle: vi.fn() };
    const full = { open: () => true, onToggle: vi.fn() };
    view.rerender(<LayoutMenu {...menuProps({ pictureInPicture: pip, fullscreen: full })} />);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Picture in picture' }));
    expect(pip.onToggle).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Layout' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Exit full screen' }));
    expect(full.onToggle).toHaveBeenCalledTimes(1);
  });

  it('speaks German when the user chose it', async () => {
    await act(() => chooseLanguage('de'));
    render(<LayoutMenu {...menuProps()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Ansicht' }));
    expect(screen.getByRole('menuitemradio', { name: 'Kacheln' })).toBeTruthy();
    expect(screen.getByRole('menuitemradio', { name: 'Sprecheransicht' })).toBeTruthy();
  });
});

describe('PinButton', () => {
  it('is named Pin <name>, Unpin <name> while pinned, and for ourselves Pin yourself', () => {
    const onToggle = vi.fn();
    const view = render(<PinButton displayName="Ann Lee" self={false} pinned={false} onToggle={onToggle} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pin Ann Lee' }));
    expect(onToggle).toHaveBeenCalledTimes(1);
    view.rerender(<PinButton displayName="Ann Lee" self={false} pinned onToggle={onToggle} />);
    expect(screen.getByRole('button', { name: 'Unpin Ann Lee' })).toBeTruthy();
    view.rerender(<PinButton displayName="Me" self pinned={false} onToggle={onToggle} />);
    expect(screen.getByRole('button', { name: 'Pin yourself' })).toBeTruthy();
  });
});

describe('ShortcutsDialog', () => {
  it('lists the keys, closes on Escape and gives the focus back', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const onClose = vi.fn();
    const view = render(<ShortcutsDialog actions={['microphone', 'layout', 'help']} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const rows = screen.getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows).toEqual(['MTurn the microphone on or off', 'LSwitch between grid and speaker view', '?Show this list']);
    const close = screen.getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(close); // the focus stays in the dialog
    fireEvent.keyDown(close, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    view.unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
