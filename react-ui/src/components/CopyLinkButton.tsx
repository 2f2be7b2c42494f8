/** "Copy invite link": copies the room's link (without anyone's name) to the clipboard. */
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../toasts/Toasts';
import { Icon } from './Icon';

/** The button, and a short confirmation in a polite live region. */
export const CopyLinkButton = memo(function CopyLinkButton({ roomId }: { roomId: string }) {
  const { t } = useTranslation('call');
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const toast = useToast();
  const link = `${window.location.origin}/r/${encodeURIComponent(roomId)}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      // A toast where the page has them: nothing beside the button moves (issue 17).
      if (toast) toast({ message: 'linkCopied', kind: 'linkCopied' });
      else setCopied('yes');
    } catch {
      // No clipboard permission (e.g. plain http on a LAN): show the link to copy by hand.
      setCopied('failed');
    }
    window.setTimeout(() => setCopied(null), 4000);
  };
  return (
    <div className="copylink">
      <button type="button" className="button button--ghost" onClick={() => void copy()} aria-label={t('copyInvite')}>
        <Icon name="link" size={18} />
        <span>{t('copyInvite')}</span>
      </button>
      <span className="copylink__feedback" aria-live="polite">
        {copied === 'yes' && t('linkCopied')}
        {copied === 'failed' && <input className="copylink__manual" readOnly value={link} aria-label={t('inviteLink')} onFocus={(e) => e.target.select()} />}
      </span>
    </div>
  );
});
