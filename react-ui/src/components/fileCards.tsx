/** The call's file cards as chat items: the chat panel shows them among the messages, by time. */
import type { ReactNode } from 'react';
import type { FileItem, FileShare } from '../files/fileShare';
import { saveFile, type SaveOutcome } from '../files/saveFile';
import { FileCard } from './FileCard';

/** The cards as chat items (`{id, at, node}`), for the chat panel's `extraItems`. */
export function fileCardItems(
  items: FileItem[],
  files: FileShare,
  nameOf: (userId: string) => string,
  onSave: (item: FileItem) => Promise<SaveOutcome> = (item) => saveFile(item.blob!, item.name),
): { id: string; at: number; node: ReactNode }[] {
  return items.map((item) => ({
    id: `file-${item.id}`,
    at: item.at,
    node: <FileCard item={item} nameOf={nameOf} onSave={onSave} onCancel={(id) => files.cancel(id)} />,
  }));
}
