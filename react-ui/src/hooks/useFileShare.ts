/** The file cards of a call, re-rendered as transfers move (files/fileShare.ts). */
import { useSyncExternalStore } from 'react';
import type { FileItem, FileShare } from '../files/fileShare';

/** The current cards of `files`, oldest first. */
export function useFileShare(files: FileShare): FileItem[] {
  return useSyncExternalStore(
    (onChange) => files.onChange(onChange),
    () => files.list,
  );
}
