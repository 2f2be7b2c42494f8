/** The file cards of a call, re-rendered as transfers move (files/fileShare.ts). */
import { useStoreState } from './useStoreState';
import type { FileItem, FileShare } from '../files/fileShare';

/** The current cards of `files`, oldest first. */
export function useFileShare(files: FileShare): FileItem[] {
  return useStoreState(files, subscribeFileShare, listOfFileShare);
}

const subscribeFileShare = (files: FileShare, onChange: () => void) => files.onChange(onChange);
const listOfFileShare = (files: FileShare) => files.list;
