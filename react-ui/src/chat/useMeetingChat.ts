/**
 * The call's chat, hands and reactions for React: the {@link MeetingChat}'s state, the recipient
 * chosen in the chat panel, and plain callbacks (`toggleChat`, `toggleHand`, `replyPrivately`)
 * that buttons and keyboard shortcuts call.
 */
import { useCallback, useState, } from 'react';
import { useStoreState } from '../hooks/useStoreState';
import type { ChatState } from './chatState';
import type { MeetingChat } from './meetingChat';

/** What {@link useMeetingChat} hands the call page. */
export interface MeetingChatView {
  state: ChatState;
  /** The chosen recipient's user id, or `''` for everyone. */
  recipient: string;
  setRecipient: (userId: string) => void;
  /** Bumped whenever the message box should take the focus (a "reply privately" click). */
  focusRequest: number;
  /** Opens or closes the chat panel (button Chat, shortcut C). */
  toggleChat: () => void;
  /** Raises or lowers our hand (button Raise hand / Lower hand, shortcut H). */
  toggleHand: () => void;
  /** Opens the chat with `userId` as the recipient and the focus in the message box. */
  replyPrivately: (userId: string) => void;
}

/** Follows `chat` for as long as the component is mounted. */
export function useMeetingChat(chat: MeetingChat): MeetingChatView {
  const state = useStoreState(chat, subscribeMeetingChat, stateOfMeetingChat);
  const [recipient, setRecipient] = useState('');
  const [focusRequest, setFocusRequest] = useState(0);
  const toggleChat = useCallback(() => chat.toggleOpen(), [chat]);
  const toggleHand = useCallback(() => chat.toggleHand(), [chat]);
  const replyPrivately = useCallback(
    (userId: string) => {
      setRecipient(userId);
      chat.setOpen(true);
      setFocusRequest((n) => n + 1);
    },
    [chat],
  );
  return { state, recipient, setRecipient, focusRequest, toggleChat, toggleHand, replyPrivately };
}

const subscribeMeetingChat = (chat: MeetingChat, onChange: () => void) => chat.subscribe(onChange);
const stateOfMeetingChat = (chat: MeetingChat) => chat.state;
