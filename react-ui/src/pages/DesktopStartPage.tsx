/** The desktop app's start screen: host a meeting here or on the LAN, join by link, or connect. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { LanguagePicker } from '../components/LanguagePicker';
import { DesktopHostOptions, type DesktopHostSettings } from '../host/DesktopHostOptions';
import { LANGUAGES, chooseLanguage, chosenLanguage, type Language } from '../i18n';
import { call, describeRecent, type BridgeResult, type DesktopApi, type DesktopState, type NearbyServer } from '../desktop/desktopBridge';

/**
 * The language the app remembers wins (each start serves this page on a new port, whose storage
 * is empty); a choice made on this origin the app has not heard of (on a meeting's pre-join page)
 * is passed on to it.
 */
function adoptLanguage(bridge: DesktopApi, remembered: string | undefined): void {
  if (remembered === undefined || !bridge.set_language) return; // an older app
  const local = chosenLanguage();
  if (remembered && remembered in LANGUAGES) {
    if (remembered !== local) void chooseLanguage(remembered as Language);
  } else if (local) {
    void call(() => bridge.set_language!(local));
  }
}

const KNOWN_FAILURES = ['badLink', 'badAddress', 'discoveryFailed'];

/** A failed bridge call in the page's language where its code is known, else the app's words. */
function describeFailure(result: BridgeResult, t: TFunction): string {
  if (result.code && KNOWN_FAILURES.includes(result.code)) return t(`failure.${result.code}`, { detail: result.detail ?? '' });
  return result.error || t('failed');
}

/** The start screen shown in the desktop window instead of the browser landing page. */
export function DesktopStartPage({ bridge }: { bridge: DesktopApi }) {
  const { t } = useTranslation(['desktop', 'common']);
  const [state, setState] = useState<DesktopState | null>(null);
  const [name, setName] = useState('');
  const [link, setLink] = useState('');
  const [server, setServer] = useState('');
  const [busy, setBusy] = useState(false);
  // The failed call's answer: said in the page's language where its code is known.
  const [error, setError] = useState<BridgeResult | null>(null);
  const [nearby, setNearby] = useState<NearbyServer[] | null>(null);
  const [hosting, setHosting] = useState<DesktopHostSettings>({ password: '', lobby: false });
  // Only a meeting with a password or a lobby says so to the app (an older app takes only the name).
  const asked = hosting.password !== '' || hosting.lobby;

  useEffect(() => {
    void bridge.state().then((s) => {
      setState(s);
      if (s.name) setName(s.name);
      adoptLanguage(bridge, s.language);
    });
  }, [bridge]);

  // The app loads the meeting itself on success; the page only shows failures.
  const run = async (action: () => Promise<BridgeResult>) => {
    setBusy(true);
    setError(null);
    const result = await call(action);
    setBusy(false);
    if (!result.ok) setError(result);
    return result;
  };
  const submit = (action: () => Promise<BridgeResult>) => (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };
  const lookAround = async () => {
    if (!bridge.discover) return;
    const result = await run(() => bridge.discover!());
    if (result.ok) setNearby(result.servers ?? []);
  };

  return (
    <main className="landing">
      <div className="landing__card desktop-start">
        <h1 className="brand">Parley</h1>
        <p className="landing__tagline">{t('tagline')}</p>
        <label htmlFor="desktop-name" className="field__label">
          {t('common:yourName')}
        </label>
        <input id="desktop-name" className="field__input" value={name} maxLength={128}
          onChange={(e) => setName(e.target.value)} autoComplete="name" />

        <section aria-labelledby="host-heading" className="desktop-start__section">
          <h2 id="host-heading">{t('host')}</h2>
          <DesktopHostOptions value={hosting} onChange={setHosting} />
          <div className="landing__row">
            <button type="button" className="button button--primary" disabled={busy}
              onClick={() => void run(() => (asked ? bridge.host(name, false, hosting.password, hosting.lobby) : bridge.host(name)))}>
              {t('host')}
            </button>
            {bridge.host_lan && (
              <button type="button" className="button" disabled={busy}
                onClick={() => void run(() => (asked ? bridge.host_lan!(name, hosting.password, hosting.lobby) : bridge.host_lan!(name)))}>
                {t('hostLan')}
              </button>
            )}
          </div>
        </section>

        <form className="desktop-start__section" onSubmit={submit(() => bridge.join(link, name))}>
          <label htmlFor="desktop-link" className="field__label">{t('link')}</label>
          <div className="landing__row">
            <input id="desktop-link" className="field__input" value={link} spellCheck={false}
              onChange={(e) => setLink(e.target.value)} placeholder="https://…/r/abc123" />
            <button type="submit" className="button" disabled={busy || !link.trim()}>{t('join')}</button>
          </div>
        </form>

        <form className="desktop-start__section" onSubmit={submit(() => bridge.connect(server, name))}>
          <label htmlFor="desktop-server" className="field__label">{t('server')}</label>
          <div className="landing__row">
            <input id="desktop-server" className="field__input" value={server} spellCheck={false}
              onChange={(e) => setServer(e.target.value)} placeholder="https://meet.example.org" />
            <button type="submit" className="button" disabled={busy || !server.trim()}>{t('connect')}</button>
          </div>
        </form>

        {(state?.recent?.length ?? 0) > 0 && (
          <section aria-labelledby="recent-heading" className="desktop-start__section">
            <h2 id="recent-heading">{t('recent')}</h2>
            <ul className="desktop-start__list">
              {state!.recent!.map(describeRecent).map((entry) => (
                <li key={entry.url}>
                  <button type="button" className="button button--link" disabled={busy}
                    onClick={() => void run(() => bridge.connect(entry.url, name))}>
                    {entry.name ?? entry.url}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}

        {bridge.discover && (
          <section aria-labelledby="nearby-heading" className="desktop-start__section">
            <h2 id="nearby-heading">{t('nearby')}</h2>
            <button type="button" className="button" disabled={busy} onClick={() => void lookAround()}>
              {t('find')}
            </button>
            {nearby && nearby.length === 0 && <p className="message">{t('noneNearby')}</p>}
            {nearby && nearby.length > 0 && (
              <ul className="desktop-start__list">
                {nearby.map((found) => (
                  <li key={found.url}>
                    <button type="button" className="button button--link" disabled={busy}
                      onClick={() => void run(() => bridge.connect(found.url, name))}>
                      {found.name} <span className="desktop-start__muted">{found.url}</span>
                    </button>
                    {found.fingerprint && (
                      <small className="desktop-start__muted desktop-start__fingerprint"
                        style={{ display: 'block', overflowWrap: 'anywhere' }}>
                        {t('fingerprint', { fingerprint: found.fingerprint })}
                      </small>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {state?.problems?.map((problem) => (
          <p key={problem.message} role="alert" className="message message--error">
            {problem.message} {problem.fix}
          </p>
        ))}
        {error && (
          <p role="alert" className="message message--error">
            {describeFailure(error, t)}
          </p>
        )}
        <LanguagePicker id="desktop-language" className="language-field"
          onChoose={(language) => void call(() => bridge.set_language?.(language ?? '') ?? Promise.resolve({ ok: true }))} />
        {state?.version && <p className="desktop-start__muted">{t('version', { version: state.version })}</p>}
      </div>
    </main>
  );
}
