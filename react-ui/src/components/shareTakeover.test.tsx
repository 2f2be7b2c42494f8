// @vitest-environment jsdom
/** Share screen while someone else presents: asked first, and only a confirmation starts the share. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../i18n';
import { useShareRequest } from '../hooks/useShareRequest';
import { PresenterNote } from './PresenterNote';
import { ShareTakeoverDialog } from './ShareTakeoverDialog';

afterEach(cleanup);

function ShareButton({ presenter, start }: { presenter: string | null; start: () => void }) {
  const share = useShareRequest(presenter, start);
  return (
    <>
      <button type="button" onClick={share.request}>
        Share screen
      </button>
      {share.asking !== null && <ShareTakeoverDialog presenter={share.asking} onConfirm={share.confirm} onCancel={share.cancel} />}
    </>
  );
}

describe('Share screen', () => {
  it('starts at once when nobody else presents', () => {
    const start = vi.fn();
    render(<ShareButton presenter={null} start={start} />);
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    expect(start).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('asks "Ann is presenting. Share instead?": Cancel (focused) or Escape does nothing, Share instead starts', () => {
    const start = vi.fn();
    render(<ShareButton presenter="Ann" start={start} />);
    const button = screen.getByRole('button', { name: 'Share screen' });
    button.focus();
    fireEvent.click(button);
    const dialog = screen.getByRole('alertdialog', { name: 'Ann is presenting. Share instead?' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(button); // back where it was
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(start).not.toHaveBeenCalled();
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Share instead' }));
    expect(start).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('PresenterNote', () => {
  it('names the presenter, or says we present, or says nothing', () => {
    const { rerender, container } = render(<PresenterNote name="Ann" className="x" />);
    expect(container.textContent).toBe('Ann is presenting');
    rerender(<PresenterNote name="Me" self className="x" />);
    expect(container.textContent).toBe('You are presenting');
    rerender(<PresenterNote name={null} className="x" />);
    expect(container.textContent).toBe('');
  });
});
