/**
 * Where a call that stopped for good leads, as far as issue 14 is concerned: back to the pre-join
 * page to type the password again, or to a page saying the person is out (locked, turned away,
 * removed, the meeting ended). Pure; null for every other ending (the room page's own).
 */
import type { CallSnapshot } from '../call/callSession';
import type { PasswordProblem } from './AdmissionFields';
import type { AdmissionOutcome } from './AdmissionPage';
import { nameOf, type HostState } from './hostState';

/** What the room page shows next. */
export type HostEnding =
  | { phase: 'password'; problem: PasswordProblem }
  | { phase: 'out'; outcome: AdmissionOutcome; by: string | null };

const PASSWORD_PROBLEMS: readonly string[] = ['passwordRequired', 'wrongPassword'];
const SHUT_OUT: readonly string[] = ['roomLocked', 'admissionDenied', 'rateLimited'];

/** The ending for a closed call's snapshot and host state, or null when it is not about admission. */
export function hostEnding(snapshot: CallSnapshot, host: HostState | null): HostEnding | null {
  const reason = snapshot.closedReason;
  if (!reason) return null;
  const code = reason.errorCode ?? '';
  if (reason.kind === 'refused' && PASSWORD_PROBLEMS.includes(code)) return { phase: 'password', problem: code as PasswordProblem };
  if (reason.kind === 'refused' && SHUT_OUT.includes(code)) return { phase: 'out', outcome: code as AdmissionOutcome, by: null };
  // 4003 before we were ever in: the lobby turned us away.
  if (reason.kind === 'removed' && !snapshot.joined) return { phase: 'out', outcome: 'admissionDenied', by: null };
  if (reason.kind === 'removed') return { phase: 'out', outcome: 'removed', by: host ? nameOf(host, host.removedBy) : null };
  if (reason.kind === 'ended') return { phase: 'out', outcome: 'ended', by: host ? nameOf(host, host.endedBy) : null };
  return null;
}
