/** The display name: from `?name=` if given, else the one remembered in localStorage. */
import { useCallback, useState } from 'react';

const KEY = 'parley.displayName';

/** The name field's value, its setter, and `remember()` to store it for next time. */
export function useStoredName(): [string, (name: string) => void, () => void] {
  const [name, setName] = useState(() => {
    const fromUrl = new URLSearchParams(window.location.search).get('name');
    if (fromUrl && fromUrl.trim()) return fromUrl.trim().slice(0, 128);
    try {
      return window.localStorage.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  });
  const remember = useCallback(() => {
    try {
      if (name.trim()) window.localStorage.setItem(KEY, name.trim());
    } catch {
      // Private mode or storage disabled: the name is just not remembered.
    }
  }, [name]);
  return [name, setName, remember];
}
