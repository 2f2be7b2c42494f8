/**
 * The call's files on their own (until they live in the chat panel, which takes
 * {@link fileCardItems} as `extraItems` and {@link ShareFileButton} as `actions`).
 */
import type { ReactNode } from 'react';
import type { FileItem, FileShare } from '../files/fileShare';
import { useFileShare } from '../hooks/useFileShare';
import { saveFile, type SaveOutcome } from '../files/saveFile';
import { FileCard } from './FileCard';
import { ShareFileButton } from './ShareFileButton';

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

export function FilesPanel({ files, nameOf }: { files: FileShare; nameOf: (userId: string) => string }) {
  const items = useFileShare(files);
  return (
    <section className="files-panel">
      <ShareFileButton files={files} />
      {fileCardItems(items, files, nameOf).map((entry) => (
        <div key={entry.id}>{entry.node}</div>
      ))}
    </section>
  );
}
