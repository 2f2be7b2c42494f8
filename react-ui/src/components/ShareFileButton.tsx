/**
 * The **Share a file** button (for the chat panel's `actions` slot, or on its own): picks a file
 * and shares it with everyone in the call; a refusal (too large, nobody there) is said beside it.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileShare, ShareRefusal } from '../files/fileShare';

export function ShareFileButton({ files }: { files: FileShare }) {
  const { t } = useTranslation('files');
  const input = useRef<HTMLInputElement>(null);
  const [refusal, setRefusal] = useState<ShareRefusal | null>(null);
  return (
    <span className="share-file">
      <button type="button" className="button button--ghost" onClick={() => input.current?.click()}>
        {t('share')}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="share-file-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void files.share(file).then(setRefusal);
        }}
      />
      {refusal && (
        <span role="alert" className="share-file__error">
          {t(`refused.${refusal}`)}
        </span>
      )}
    </span>
  );
}
