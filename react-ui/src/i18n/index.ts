/**
 * The client's languages: i18next with react-i18next, every user-visible string through `t()`.
 *
 * Texts live in `locales/<language>/<namespace>.json`, one namespace per area of the UI (`common`,
 * `chat`, ...), all bundled (they are small) and picked up by `import.meta.glob`, so a new namespace
 * needs no registration. The language is the one the user chose (remembered in localStorage under
 * `parley.language`), else the browser's, else English; `<html lang>` follows the language shown.
 */
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';

/** The languages Parley speaks, by code, each named in itself (for the language picker). */
export const LANGUAGES = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  zh: '简体中文',
} as const;

/** A language Parley speaks. */
export type Language = keyof typeof LANGUAGES;

/** Where the user's own choice of language is remembered. */
export const LANGUAGE_STORAGE_KEY = 'parley.language';

/** The `lang` attribute for each language (Simplified Chinese is written `zh-Hans`). */
export const HTML_LANG: Record<Language, string> = {
  en: 'en', de: 'de', fr: 'fr', es: 'es', pt: 'pt', zh: 'zh-Hans',
};

type Texts = { [key: string]: string | Texts };
const files = import.meta.glob<{ default: Texts }>('./locales/*/*.json', { eager: true });
const resources: Record<string, Record<string, Texts>> = {};
for (const [path, module] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
  (resources[language] ??= {})[namespace] = module.default;
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    fallbackLng: 'en',
    supportedLngs: Object.keys(LANGUAGES),
    nonExplicitSupportedLngs: true, // de-AT, pt-BR, zh-CN... use de, pt, zh
    load: 'languageOnly',
    initAsync: false, // resources are bundled: the first render already has its texts
    interpolation: { escapeValue: false }, // React escapes; texts are never HTML
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: [], // only a choice the user made is remembered (chooseLanguage)
    },
  });

/** The language shown now. */
export function currentLanguage(): Language {
  const shown = i18n.resolvedLanguage ?? 'en';
  return (shown in LANGUAGES ? shown : 'en') as Language;
}

function followLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = HTML_LANG[currentLanguage()];
}
i18n.on('languageChanged', followLanguage);
followLanguage();

/** Show Parley in `language` from now on and remember the choice; `null` goes back to the browser's. */
export function chooseLanguage(language: Language | null): Promise<unknown> {
  try {
    if (language) localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    else localStorage.removeItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return i18n.changeLanguage(language ?? browser);
}

/** The language the user chose (remembered), or null when Parley follows the browser's. */
export function chosenLanguage(): Language | null {
  try {
    const stored = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return stored && stored in LANGUAGES ? (stored as Language) : null;
  } catch {
    return null;
  }
}

/** The BCP 47 tag of the shown language, for `Intl` and `lang` attributes. */
export function languageTag(): string {
  return HTML_LANG[currentLanguage()];
}

/** A number as people of the shown language write it (`Intl.NumberFormat`). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(languageTag(), options).format(value);
}

/** A time of day (`sentAt`, ms since the epoch) as people of the shown language write it. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(HTML_LANG[currentLanguage()], { timeStyle: 'short' }).format(ms);
}

export { i18n };
