// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_STORAGE_KEY, chooseLanguage, currentLanguage, i18n } from './index';

const PLURAL = '_<plural>';

/** Every text's key in `language` (`namespace.path`); plural forms folded into one `key_<plural>` if `fold`. */
function keys(language: string, fold: boolean): string[] {
  const out = new Set<string>();
  const walk = (prefix: string, node: unknown) => {
    if (typeof node === 'string') out.add(fold ? prefix.replace(/_(zero|one|two|few|many|other)$/, PLURAL) : prefix);
    else for (const [k, v] of Object.entries(node as object)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  for (const ns of i18n.options.ns as string[]) walk(ns, i18n.getResourceBundle(language, ns) ?? {});
  return [...out].sort();
}

afterEach(async () => {
  await chooseLanguage(null);
});

describe('languages', () => {
  it('speaks English by default, and every language has every English text', () => {
    expect(currentLanguage()).toBe('en');
    for (const language of Object.keys(LANGUAGES)) expect(keys(language, true), language).toEqual(keys('en', true));
  });

  it('has, in every language, the plural forms its counts need', () => {
    // Plural keys end in the CLDR category (`_one`, `_other`...): which ones depends on the language.
    for (const language of Object.keys(LANGUAGES)) {
      const rules = new Intl.PluralRules(language);
      const needed = new Set(Array.from({ length: 1001 }, (_, n) => rules.select(n)));
      const all = new Set(keys(language, false));
      for (const key of keys(language, true).filter((k) => k.endsWith(PLURAL))) {
        const base = key.slice(0, -PLURAL.length);
        for (const category of needed) expect(all.has(`${base}_${category}`), `${language} ${base}_${category}`).toBe(true);
      }
    }
  });

  it('remembers a chosen language and sets the page language', async () => {
    await chooseLanguage('de');
    expect(i18n.t('notFound.home')).toBe('Zur Startseite');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    await chooseLanguage('zh');
    expect(document.documentElement.lang).toBe('zh-Hans');
    await chooseLanguage(null);
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBeNull();
    expect(document.documentElement.lang).toBe('en');
  });

  it('uses a regional browser language as its base language', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(currentLanguage()).toBe('pt');
  });
});
