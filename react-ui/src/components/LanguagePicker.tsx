/** The **Language** select of the settings: each language named in itself, or the browser's. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HTML_LANG, LANGUAGES, chooseLanguage, chosenLanguage, i18n, type Language } from '../i18n';

/**
 * Switches the whole page at once and remembers the choice ("browser default" forgets it);
 * `onChoose` hears of it too (the desktop app remembers it for its next start).
 */
export function LanguagePicker({ id, className, onChoose }: { id: string; className?: string; onChoose?: (language: Language | null) => void }) {
  const { t } = useTranslation('common');
  const [chosen, setChosen] = useState<Language | null>(chosenLanguage);
  // A choice applied from elsewhere (the desktop app's remembered one) shows here too.
  useEffect(() => {
    const follow = () => setChosen(chosenLanguage());
    i18n.on('languageChanged', follow);
    return () => i18n.off('languageChanged', follow);
  }, []);
  const choose = (value: string) => {
    const language = value in LANGUAGES ? (value as Language) : null;
    setChosen(language);
    void chooseLanguage(language);
    onChoose?.(language);
  };
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className="field__label">
        {t('language.label')}
      </label>
      <select id={id} className="field__input" value={chosen ?? ''} onChange={(e) => choose(e.target.value)}>
        <option value="">{t('language.browserDefault')}</option>
        {(Object.entries(LANGUAGES) as Array<[Language, string]>).map(([code, name]) => (
          // Each language named in itself, and read out in it.
          <option key={code} value={code} lang={HTML_LANG[code]}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
