/** The name a recording is saved under: `parley-<room>-<date>.webm`, e.g. `parley-abc123-2026-12-05-1412.webm`. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `parley-<room>-<yyyy>-<mm>-<dd>-<hhmm>.webm` in local time (what the user's clock said at the start). */
export function recordingFileName(roomId: string, startedAt: Date): string {
  const room = roomId.replace(/[^A-Za-z0-9_-]/g, '_') || 'meeting';
  const d = startedAt;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
  return `parley-${room}-${date}.webm`;
}
