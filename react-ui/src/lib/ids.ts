/** Random ids for this page's user (a fresh one per page load, so a reload is a new participant). */

/** A random id of 22 URL-safe characters (fits the protocol's `userId` rule). */
export function randomUserId(): string {
  // crypto.randomUUID needs a secure context; getRandomValues works on plain http on a LAN too.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (const byte of bytes) id += alphabet[byte & 63];
  return `u${id}`;
}
