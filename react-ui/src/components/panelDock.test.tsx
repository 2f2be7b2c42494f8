// @vitest-environment jsdom
/** The panel dock: focus into the panel, Escape and Close, and the focus back on the panel's button. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import '../i18n';
import { PanelDock } from './PanelDock';

afterEach(cleanup);

function Page({ popupOpen = false }: { popupOpen?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-panel-button="devices" aria-pressed={open} onClick={() => setOpen((o) => !o)}>
        Devices
      </button>
      <button type="button" aria-expanded={popupOpen}>
        React
      </button>
      {open && (
        <PanelDock which="devices" onClose={() => setOpen(false)}>
          <aside className="panel" aria-label="Devices panel">
            <select aria-label="Camera" />
          </aside>
        </PanelDock>
      )}
    </>
  );
}

describe('PanelDock', () => {
  it('takes the focus, closes with Escape and gives the focus back to its button', () => {
    render(<Page />);
    const button = screen.getByRole('button', { name: 'Devices' });
    button.focus();
    fireEvent.click(button);
    const panel = screen.getByRole('complementary', { name: 'Devices panel' });
    expect(document.activeElement).toBe(panel);
    fireEvent.keyDown(panel, { key: 'Escape' });
    expect(screen.queryByRole('complementary')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('closes with its Close button', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Devices' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('complementary')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Devices' }));
  });

  it('leaves an Escape to a popup open elsewhere', () => {
    render(<Page popupOpen />);
    fireEvent.click(screen.getByRole('button', { name: 'Devices' }));
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.getByRole('complementary', { name: 'Devices panel' })).toBeTruthy();
  });
});
