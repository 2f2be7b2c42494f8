/** The bundled background images' URLs (served by Parley from its build, never from a CDN). */
import lagoon from './backgrounds/lagoon.jpg?url';
import meadow from './backgrounds/meadow.jpg?url';
import sunset from './backgrounds/sunset.jpg?url';
import type { BackgroundImage } from './backgroundPreference';

/** Each bundled image's URL, by id. */
export const BACKGROUND_IMAGE_URLS: Record<BackgroundImage, string> = { sunset, lagoon, meadow };
