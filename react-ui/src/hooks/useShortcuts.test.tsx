// @vitest-environment jsdom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shortcutFor, useShortcuts, type ShortcutMap } from './useShortcuts';

function Page({ actions }: { actions: ShortcutMap }) {
  useShortcuts(actions);
  return (
    <div>
      <input aria-label="name" />
      <input type="checkbox" aria-label="check" />
      <textarea aria-label="message" />
      <select aria-label="camera">
        <option>one</option>
      </select>
      <div contentEditable suppressContentEditableWarning aria-label="editor">
        <span>inside</span>
      </div>
      <button type="button">Mute</button>
    </div>
  );
}

afterEach(cleanup);

function setup() {
  const actions = { microphone: vi.fn(), camera: vi.fn(), share: vi.fn(), chat: vi.fn(), hand: vi.fn(), layout: vi.fn(), help: vi.fn() };
  const view = render(<Page actions={actions} />);
  return { actions, view };
}

describe('useShortcuts', () => {
  it('runs each key’s action on the page, upper or lower case', () => {
    const { actions } = setup();
    for (const key of ['m', 'V', 's', 'c', 'h', 'l']) fireEvent.keyDown(document.body, { key });
    fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    for (const action of Object.values(actions)) expect(action).toHaveBeenCalledTimes(1);
  });

  it('also from a focused button or checkbox (they take no text)', () => {
    const { actions, view } = setup();
    fireEvent.keyDown(view.getByText('Mute'), { key: 'm' });
    fireEvent.keyDown(view.getByLabelText('check'), { key: 'l' });
    expect(actions.microphone).toHaveBeenCalledTimes(1);
    expect(actions.layout).toHaveBeenCalledTimes(1);
  });

  it('is ignored while typing in a text field', () => {
    const { actions, view } = setup();
    for (const label of ['name', 'message', 'camera']) {
      for (const key of ['m', 'v', 's', 'c', 'h', 'l', '?']) fireEvent.keyDown(view.getByLabelText(label), { key });
    }
    const editable = view.getByText('inside');
    for (const key of ['m', 'l', '?']) fireEvent.keyDown(editable, { key });
    for (const action of Object.values(actions)) expect(action).not.toHaveBeenCalled();
  });

  it('is ignored with Ctrl, Alt or Meta held, and when a key is held down', () => {
    const { actions } = setup();
    fireEvent.keyDown(document.body, { key: 's', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'm', altKey: true });
    fireEvent.keyDown(document.body, { key: 'v', metaKey: true });
    fireEvent.keyDown(document.body, { key: 'm', repeat: true });
    for (const action of Object.values(actions)) expect(action).not.toHaveBeenCalled();
  });

  it('leaves keys without an action (and other keys) alone, and takes the browser’s default only for its own', () => {
    const layout = vi.fn();
    render(<Page actions={{ layout, chat: undefined }} />);
    expect(fireEvent.keyDown(document.body, { key: 'c' })).toBe(true); // not prevented
    expect(fireEvent.keyDown(document.body, { key: 'x' })).toBe(true);
    expect(fireEvent.keyDown(document.body, { key: 'l' })).toBe(false); // prevented: it acted
    expect(layout).toHaveBeenCalledTimes(1);
  });

  it('uses the latest actions without re-subscribing', () => {
    const first = vi.fn();
    const second = vi.fn();
    const view = render(<Page actions={{ microphone: first }} />);
    view.rerender(<Page actions={{ microphone: second }} />);
    fireEvent.keyDown(document.body, { key: 'm' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});

describe('shortcutFor', () => {
  it('names the action of a key', () => {
    const on = (key: string, over = {}) => shortcutFor({ key, ctrlKey: false, altKey: false, metaKey: false, target: null, ...over });
    expect(on('M')).toBe('microphone');
    expect(on('?')).toBe('help');
    expect(on('Escape')).toBeNull();
    expect(on('l', { ctrlKey: true })).toBeNull();
  });
});
