/**
 * The pre-join page's background: the remembered choice, a {@link BackgroundEffect} on the preview
 * camera (so the person sees what the others will), and a setter that remembers a new choice.
 */
import { useEffect, useReducer, useState } from 'react';
import { BackgroundEffect, type BackgroundStatus } from '../media/background';
import { backgroundWanted, rememberBackground, type BackgroundChoice } from '../media/backgroundPreference';

/** What the pre-join page shows and offers. */
export interface BackgroundPreview {
  /** The preview stream: processed while the effect runs, else `stream`. */
  stream: MediaStream | null;
  choice: BackgroundChoice;
  status: BackgroundStatus;
  setChoice: (choice: BackgroundChoice) => void;
}

/** The background effect on `stream` (the pre-join camera) while the page is shown. */
export function useBackgroundPreview(stream: MediaStream | null): BackgroundPreview {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [effect, setEffect] = useState<BackgroundEffect | null>(null);
  // Made in an effect (not in render) so that React's double mount in development gets a fresh one.
  useEffect(() => {
    const made = new BackgroundEffect({ choice: backgroundWanted(), onChange: rerender });
    setEffect(made);
    return () => made.close();
  }, []);
  return {
    stream: effect ? effect.sendable(stream) : stream,
    choice: effect ? effect.choice : backgroundWanted(),
    status: effect ? effect.status : 'off',
    setChoice: (choice) => {
      rememberBackground(choice);
      effect?.setChoice(choice);
      rerender();
    },
  };
}
