// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_STORAGE_KEY, chooseLanguage, currentLanguage, i18n } from './index';

afterEach(async () => {
  await chooseLanguage(null);
});

describe('languages', () => {
  it('speaks English by default, and every language has every English text', () => {
    expect(currentLanguage()).toBe('en');
    const keys = (language: string) => {
      const out: string[] = [];
      const walk = (prefix: string, node: unknown) => {
        if (typeof node === 'string') out.push(prefix);
        else for (const [k, v] of Object.entries(node as object)) walk(prefix ? `${prefix}.${k}` : k, v);
      };
      for (const ns of i18n.options.ns as string[]) walk(ns, i18n.getResourceBundle(language, ns) ?? {});
      return out.sort();
    };
    for (const language of Object.keys(LANGUAGES)) expect(keys(language), language).toEqual(keys('en'));
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
