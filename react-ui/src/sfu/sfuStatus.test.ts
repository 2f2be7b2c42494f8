/** SfuStatus: the "media server unavailable" notice follows the server's messages. */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../signaling/messages';
import { SfuStatus } from './sfuStatus';

const unavailable = { type: 'error', payload: { code: 'sfuUnavailable', message: 'gone' } } as ServerMessage;
const joined = { type: 'joined', payload: {} } as ServerMessage;

describe('SfuStatus', () => {
  it('shows the notice from sfuUnavailable after the join until sfuRestart or a dismissal', () => {
    const status = new SfuStatus();
    let changes = 0;
    status.subscribe(() => (changes += 1));
    status.handle(unavailable); // before joined it refuses the join: the join page says it
    expect(status.state.unavailable).toBe(false);
    status.handle(joined);
    status.handle(unavailable);
    expect(status.state.unavailable).toBe(true);
    status.handle({ type: 'sfuRestart', payload: {} } as ServerMessage);
    expect(status.state.unavailable).toBe(false);
    status.handle(unavailable);
    status.dismiss();
    expect(status.state.unavailable).toBe(false);
    expect(changes).toBe(4);
  });
});
