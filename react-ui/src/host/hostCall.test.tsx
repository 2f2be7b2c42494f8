// @vitest-environment jsdom
/**
 * The call page with issue 14's host controls, over real CallSessions (fake WebRTC and the in-memory
 * server of call/testing): the server's role, knock and muteRequest messages are played into the
 * sessions' sockets, and what the buttons send is read back from them.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallSession } from '../call/callSession';
import { FakeSignalingServer } from '../call/testing/fakeServer';
import { fakeSession } from '../call/testing/fakeSession';
import { CallPage } from '../pages/CallPage';
import { FakePeerConnection, FakeStream, fakeCameraStream } from '../rtc/testing/fakeWebRtc';
import type { ServerMessage } from '../signaling/messages';
import { FakeWebSocket } from '../signaling/testing/fakeWebSocket';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** `userId`'s socket on the fake server. */
const socketOf = (server: FakeSignalingServer, userId: string) => server.members.get(userId)!.socket;
/** Plays a server message to `userId`. */
const play = (server: FakeSignalingServer, userId: string, message: unknown) =>
  act(() => socketOf(server, userId).serverSend(message as ServerMessage));
/** What `userId`'s client sent of `type`. */
const sentOf = (server: FakeSignalingServer, userId: string, type: string) =>
  server.sockets.flatMap((s) => s.sent).filter((m) => m.type === type && (m.type !== 'join' || m.payload.userId === userId));

async function joinedAs(server: FakeSignalingServer, userId: string) {
  const session = fakeSession(server, userId);
  await vi.waitFor(() => expect(session.snapshot.joined).toBe(true));
  return session;
}

async function hostCall() {
  const server = new FakeSignalingServer('room');
  const alice = await joinedAs(server, 'alice');
  render(<CallPage roomId="room" selfId="alice" session={alice} onEnded={vi.fn()} />);
  await play(server, 'alice', { type: 'role', payload: { userId: 'alice', role: 'host' } });
  return { server, alice };
}

describe('the host', () => {
  it('has a Host menu whose settings, Mute everyone and End meeting go to the server', async () => {
    const { server, alice } = await hostCall();
    fireEvent.click(screen.getByRole('button', { name: 'Host' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Lock meeting' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Lobby' }));
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'pw1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mute everyone' }));
    await vi.waitFor(() =>
      expect(sentOf(server, 'alice', 'roomSettings').map((m) => m.payload)).toEqual([{ locked: true }, { lobby: true }, { password: 'pw1' }]),
    );
    expect(sentOf(server, 'alice', 'muteRequest').map((m) => m.payload)).toEqual([{}]);

    // The server's answer is what the menu shows.
    await play(server, 'alice', { type: 'roomSettings', payload: { lobby: true, locked: true, passwordRequired: true } });
    expect(screen.getByRole('checkbox', { name: 'Lock meeting' })).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove password' }));
    expect(sentOf(server, 'alice', 'roomSettings').at(-1)?.payload).toEqual({ password: null });

    fireEvent.click(screen.getByRole('button', { name: 'End meeting' }));
    expect(sentOf(server, 'alice', 'endMeeting')).toEqual([]); // asked first
    fireEvent.click(within(screen.getByRole('group', { name: 'End the meeting for everyone?' })).getByRole('button', { name: 'End meeting' }));
    expect(sentOf(server, 'alice', 'endMeeting')).toHaveLength(1);
    alice.leave();
  });

  it('is told of a knock and admits or denies; several waiting get a list with Admit all', async () => {
    const { server, alice } = await hostCall();
    await play(server, 'alice', { type: 'knock', payload: { userId: 'cat', displayName: 'Cat' } });
    const notice = screen.getByRole('alert');
    expect(notice.textContent).toMatch('Cat wants to join.');
    fireEvent.click(within(notice).getByRole('button', { name: 'Deny' }));
    expect(sentOf(server, 'alice', 'deny').map((m) => m.payload)).toEqual([{ userId: 'cat' }]);
    expect(screen.queryByText('Cat wants to join.')).toBeNull();

    await play(server, 'alice', { type: 'knock', payload: { userId: 'dan', displayName: 'Dan' } });
    await play(server, 'alice', { type: 'knock', payload: { userId: 'eve', displayName: 'Eve' } });
    await play(server, 'alice', { type: 'knock', payload: { userId: 'fay', displayName: 'Fay' } });
    expect(screen.getByRole('alert').textContent).toMatch('3 people are waiting to join.');
    // One of them gave up waiting.
    await play(server, 'alice', { type: 'knockCancelled', payload: { userId: 'fay' } });
    expect(screen.queryByText('Fay')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    expect(sentOf(server, 'alice', 'admit').map((m) => m.payload)).toEqual([{ userId: 'dan' }, { userId: 'eve' }]);
    expect(screen.queryByRole('button', { name: 'Admit all' })).toBeNull();
    alice.leave();
  });

  it('removes, asks to mute, makes host and lowers a hand from the participant list', async () => {
    const { server, alice } = await hostCall();
    const bob = await joinedAs(server, 'bob');
    await vi.waitFor(() => expect(alice.snapshot.participants).toHaveLength(1));
    await play(server, 'alice', { type: 'hand', payload: { userId: 'bob', raised: true, raisedAt: 1 } });
    fireEvent.click(screen.getByRole('button', { name: /Participants/ }));
    const row = within(screen.getByRole('group', { name: 'Host actions for BOB' }));
    fireEvent.click(row.getByRole('button', { name: 'Lower hand' }));
    fireEvent.click(row.getByRole('button', { name: 'Ask to mute' }));
    fireEvent.click(row.getByRole('button', { name: 'Make host' }));
    fireEvent.click(row.getByRole('button', { name: 'Remove' }));
    expect(sentOf(server, 'alice', 'lowerHand').map((m) => m.payload)).toEqual([{ targetId: 'bob' }]);
    expect(sentOf(server, 'alice', 'muteRequest').map((m) => m.payload)).toEqual([{ targetId: 'bob' }]);
    expect(sentOf(server, 'alice', 'setRole').map((m) => m.payload)).toEqual([{ targetId: 'bob', role: 'host' }]);
    expect(sentOf(server, 'alice', 'removeUser').map((m) => m.payload)).toEqual([{ targetId: 'bob' }]);
    // No actions on oneself.
    expect(screen.queryByRole('group', { name: /Host actions for ALICE/ })).toBeNull();
    bob.leave();
    alice.leave();
  });
});

describe('a guest', () => {
  it('sees who the hosts are, and no host controls', async () => {
    const server = new FakeSignalingServer('room');
    const alice = await joinedAs(server, 'alice');
    const bob = await joinedAs(server, 'bob');
    render(<CallPage roomId="room" selfId="bob" session={bob} onEnded={vi.fn()} />);
    await vi.waitFor(() => expect(bob.snapshot.participants).toHaveLength(1));
    await play(server, 'bob', { type: 'role', payload: { userId: 'alice', role: 'host' } });
    fireEvent.click(screen.getByRole('button', { name: /Participants/ }));
    const aliceRow = document.querySelector('.participants__row[data-user-id="alice"]') as HTMLElement;
    expect(within(aliceRow).getByText('host')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Host' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
    alice.leave();
    bob.leave();
  });

  it('is muted when a host asks, tells the others, and is told who did it', async () => {
    const server = new FakeSignalingServer('room');
    const alice = await joinedAs(server, 'alice');
    const bob = await joinedAs(server, 'bob');
    render(<CallPage roomId="room" selfId="bob" session={bob} onEnded={vi.fn()} />);
    await vi.waitFor(() => expect(bob.snapshot.participants).toHaveLength(1));
    expect(bob.snapshot.audioMuted).toBe(false);
    await play(server, 'bob', { type: 'muteRequest', payload: { by: 'alice' } });
    expect(bob.snapshot.audioMuted).toBe(true);
    expect(sentOf(server, 'bob', 'mediaState').at(-1)?.payload).toEqual({ audioMuted: true, videoMuted: false });
    expect(screen.getByRole('alert').textContent).toMatch('ALICE muted your microphone.');
    // Alice sees it too (the server relays Bob's mediaState).
    await vi.waitFor(() => expect(alice.snapshot.participants[0].audioMuted).toBe(true));
    alice.leave();
    bob.leave();
  });

  it('waits in the lobby with a clear screen, then joins the call when let in', async () => {
    const socket = { current: null as FakeWebSocket | null };
    const session = new CallSession({
      roomId: 'room', selfId: 'bob', displayName: 'Bob', localStream: fakeCameraStream() as unknown as MediaStream,
      audioMuted: false, videoMuted: false, signalingUrl: 'ws://parley.test/ws',
      createSocket: (url) => (socket.current = new FakeWebSocket(url)),
      createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
      createStream: () => new FakeStream() as unknown as MediaStream,
      speakerPollMs: 0,
    });
    session.start();
    render(<CallPage roomId="room" selfId="bob" session={session} onEnded={vi.fn()} />);
    act(() => socket.current!.serverOpen());
    act(() => socket.current!.serverSend({ type: 'waiting', payload: {} } as unknown as ServerMessage));
    expect(screen.getByRole('status').textContent).toBe('Waiting for the host to let you in');
    expect(screen.queryByRole('button', { name: 'Leave' })).toBeTruthy();
    act(() => socket.current!.serverSend({
      type: 'joined',
      payload: { roomId: 'room', userId: 'bob', users: [], screenSharer: null, screenStreamId: null, iceServers: [], resumeToken: 't', chat: [], role: 'guest', room: { lobby: true, locked: false, passwordRequired: false } },
    } as unknown as ServerMessage));
    expect(screen.queryByText('Waiting for the host to let you in')).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Parley meeting');
    session.leave();
  });
});
