/**
 * The call's files on their own (until they live in the chat panel, which takes
 * {@link fileCardItems} as `extraItems` and {@link ShareFileButton} as `actions`).
 */
import type { ReactNode } from 'react';
import type { FileItem, FileShare } from '../files/fileShare';
import { useFileShare } from '../hooks/useFileShare';
import { FileCard } from './FileCard';
import { ShareFileButton } from './ShareFileButton';

/** Saves a received file: the browser's download (the desktop app passes its own). */
export function downloadFile(item: FileItem): void {
  if (!item.blob) return;
  const url = URL.createObjectURL(item.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = item.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the next task may free the URL.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The cards as chat items (`{id, at, node}`), for the chat panel's `extraItems`. */
export function fileCardItems(
  items: FileItem[],
  files: FileShare,
  nameOf: (userId: string) => string,
  onSave: (item: FileItem) => void = downloadFile,
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
