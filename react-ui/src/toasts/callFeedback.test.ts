import { describe, expect, it } from 'vitest';
import { CallFeedback, type FeedbackSnapshot } from './callFeedback';

const person = (userId: string) => ({ userId, displayName: userId.toUpperCase() });

function snap(patch: Partial<FeedbackSnapshot>): FeedbackSnapshot {
  return { selfId: 'me', status: 'joined', joined: true, sharer: null, participants: [], ...patch };
}

describe('CallFeedback', () => {
  it('says nothing about the people already there when we join, then who joins and leaves', () => {
    const feedback = new CallFeedback();
    expect(feedback.next(snap({ status: 'connecting', joined: false }))).toEqual([]);
    const present = [person('ann'), person('bob')];
    expect(feedback.next(snap({ joined: false, participants: present }))).toEqual([]);
    expect(feedback.next(snap({ participants: present }))).toEqual([]);
    expect(feedback.next(snap({ participants: [person('bob'), person('cy')] }))).toEqual([
      { message: 'joined', params: { name: 'CY' } },
      { message: 'left', params: { name: 'ANN' } },
    ]);
  });

  it('tells a presenter whose share was taken over who presents now', () => {
    const feedback = new CallFeedback();
    const people = [person('bob')];
    feedback.next(snap({ participants: people, sharer: { userId: 'me', streamId: 's1' } }));
    expect(feedback.next(snap({ participants: people, sharer: { userId: 'bob', streamId: 's2' } }))).toEqual([
      { message: 'shareTakenOver', params: { name: 'BOB' }, kind: 'share' },
    ]);
    // Stopping one's own share, or someone else's share changing hands, is no takeover of ours.
    const other = new CallFeedback();
    other.next(snap({ participants: people, sharer: { userId: 'me', streamId: 's1' } }));
    expect(other.next(snap({ participants: people, sharer: null }))).toEqual([]);
  });

  it('says "Reconnected" once when the meeting service is back, not on the first join', () => {
    const feedback = new CallFeedback();
    expect(feedback.next(snap({ status: 'connecting', joined: false }))).toEqual([]);
    expect(feedback.next(snap({}))).toEqual([]);
    expect(feedback.next(snap({ status: 'reconnecting' }))).toEqual([]);
    expect(feedback.next(snap({ status: 'reconnecting' }))).toEqual([]);
    expect(feedback.next(snap({}))).toEqual([{ message: 'reconnected', kind: 'connection' }]);
    expect(feedback.next(snap({}))).toEqual([]);
  });
});
