/** A chat message's text: plain text with its http(s) links clickable, never HTML. */
import { linkify } from '../chat/linkify';

/** Renders `text` as text nodes and `<a>` links (new tab, no opener, no referrer). */
export function ChatMessageText({ text }: { text: string }) {
  return (
    <p className="chat__text">
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
