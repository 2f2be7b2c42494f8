import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
  it('finds http and https links and leaves the sentence\'s punctuation out', () => {
    expect(linkify('see https://example.org/a?b=1. and http://x.test)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never makes a link of other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'ftp://x.test']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });
});
