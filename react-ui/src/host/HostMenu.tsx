/**
 * The Host button in the call's header and its panel: lock the meeting, turn the lobby on or off,
 * set or remove the password, mute everyone, end the meeting (after a confirmation). Shown only to
 * hosts; the server refuses these to anyone else.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostControls } from './hostControls';
import type { RoomSettings } from './hostState';

/** Props of {@link HostMenu}. */
export interface HostMenuProps {
  room: RoomSettings;
  host: HostControls;
}

/** The Host menu button and panel. */
export function HostMenu({ room, host }: HostMenuProps) {
  const { t } = useTranslation('host');
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);
  useEffect(() => {
    if (!open) setConfirming(false);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    if (!password) return;
    host.setPassword(password);
    setPassword('');
  };

  return (
    <div className="hostmenu" ref={root} onKeyDown={(e) => e.key === 'Escape' && open && (e.stopPropagation(), close())}>
      <button ref={button} type="button" className="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        {t('hostMenu')}
      </button>
      {open && (
        <section id={panelId} className="hostmenu__panel" aria-label={t('hostControls')}>
          <label className="hostmenu__toggle">
            <input type="checkbox" checked={room.locked} onChange={(e) => host.setLocked(e.target.checked)} />
            {t('lock')}
          </label>
          <label className="hostmenu__toggle" title={t('lobbyHint')}>
            <input type="checkbox" checked={room.lobby} onChange={(e) => host.setLobby(e.target.checked)} />
            {t('lobby')}
          </label>
          <form className="hostmenu__password" onSubmit={submitPassword}>
            <span className="hostmenu__note">{room.passwordRequired ? t('passwordOn') : t('passwordOff')}</span>
            <label className="field__label" htmlFor={`${panelId}-password`}>
              {t('newPassword')}
            </label>
            <input id={`${panelId}-password`} className="field__input" type="password" value={password} maxLength={128}
              autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
            <div className="hostmenu__row">
              <button type="submit" className="button" disabled={!password}>
                {t('setPassword')}
              </button>
              {room.passwordRequired && (
                <button type="button" className="button button--ghost" onClick={() => host.setPassword(null)}>
                  {t('removePassword')}
                </button>
              )}
            </div>
          </form>
          <button type="button" className="button" onClick={() => host.askToMute()}>
            {t('muteEveryone')}
          </button>
          {confirming ? (
            <div className="hostmenu__confirm" role="group" aria-label={t('confirmEnd')}>
              <span>{t('confirmEnd')}</span>
              <div className="hostmenu__row">
                <button type="button" className="button button--danger" onClick={() => host.endMeeting()}>
                  {t('endMeeting')}
                </button>
                <button type="button" className="button button--ghost" onClick={() => setConfirming(false)}>
                  {t('cancel')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
              {t('endMeeting')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
