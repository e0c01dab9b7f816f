import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router';
import {
  deleteAllConversations,
  deleteConversation,
  getConversation,
  listConversations,
  sendChatMessage,
} from '../api/chat';
import { errorMessage } from '../api/errors';
import type { FrameworkId } from '../api/types';
import { ChatBubble } from '../components/ChatBubble';
import { ChatSidebar } from '../components/ChatSidebar';
import { FrameworkPicker } from '../components/FrameworkPicker';
import { ErrorState, LoadingState, Spinner } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useFillViewport } from '../hooks/useFillViewport';
import { useToast } from '../hooks/toast-context';
import { frameworkInfo, type FrameworkSlug } from '../lib/frameworks';
import { LIMITS } from '../lib/limits';
import { usePagedList } from '../hooks/usePagedList';

const MAX_CHARS = LIMITS.chatMessage;
const PAGE_SIZE = 20;

interface PendingMessage {
  content: string;
  createdAt: string;
}

export function ChatPage() {
  useDocumentTitle('Chat');
  const toast = useToast();
  const qc = useQueryClient();
  // The open conversation is in the URL (?c=12): a reload, a bookmark or a shared link opens it.
  const [params, setParams] = useSearchParams();
  const selectedId = Number(params.get('c')) || null;
  const setSelectedId = (id: number | null, replace = false) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (id === null) next.delete('c');
        else next.set('c', String(id));
        return next;
      },
      { replace },
    );
  // Below the two-column width the list folds away, so the conversation fills the screen.
  const [listOpen, setListOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const height = useFillViewport(rootRef);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [framework, setFramework] = useState<FrameworkId>('semantic_kernel');
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<PendingMessage | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const conversationList = usePagedList(['chat', 'conversations'], listConversations, PAGE_SIZE);
  const conversations = conversationList.query;
  const conversation = useQuery({
    queryKey: ['chat', 'conversation', selectedId],
    queryFn: () => getConversation(selectedId!),
    enabled: selectedId !== null,
  });

  const send = useMutation({
    mutationFn: (v: { message: string; conversationId: number | null; slug: FrameworkSlug }) =>
      sendChatMessage(v.slug, v.message, v.conversationId),
    onSuccess: (res) => {
      // Keep the conversation the server created or continued, so the next turn joins it.
      if (res.conversation.id !== selectedId) setSelectedId(res.conversation.id, true);
      qc.setQueryData(['chat', 'conversation', res.conversation.id], res.conversation);
      void qc.invalidateQueries({ queryKey: ['chat', 'conversations'] });
      void qc.invalidateQueries({ queryKey: ['cost'] });
    },
    onError: (err, v) => {
      toast.error(errorMessage(err));
      setDraft((d) => d || v.message);
    },
    onSettled: () => {
      setPending(null);
      inputRef.current?.focus({ preventScroll: true });
    },
  });

  const remove = useMutation({
    mutationFn: deleteConversation,
    onSuccess: (_r, id) => {
      if (id === selectedId) setSelectedId(null);
      qc.removeQueries({ queryKey: ['chat', 'conversation', id] });
      void qc.invalidateQueries({ queryKey: ['chat', 'conversations'] });
      toast.success('Conversation deleted');
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  const clearAll = useMutation({
    mutationFn: deleteAllConversations,
    onSuccess: (r) => {
      setSelectedId(null);
      qc.removeQueries({ queryKey: ['chat', 'conversation'] });
      void qc.invalidateQueries({ queryKey: ['chat', 'conversations'] });
      toast.success(
        r.deleted_count !== undefined
          ? `Deleted ${r.deleted_count} conversations`
          : 'All conversations deleted',
      );
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  const { rows: conversationRows, total } = conversationList;
  const messages = selectedId !== null ? (conversation.data?.messages ?? []) : [];

  // Only the message list scrolls to its end: scrollIntoView would scroll the page too, and take
  // the header away from the user who just pressed Send.
  useEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending, send.isPending, selectedId]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const message = draft.trim();
    if (!message || send.isPending) return;
    setPending({ content: message, createdAt: new Date().toISOString() });
    setDraft('');
    send.mutate({
      message,
      conversationId: selectedId,
      slug: frameworkInfo(framework)?.slug ?? 'langchain',
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit();
    if (e.key === 'Enter' && !e.shiftKey) e.preventDefault();
  };

  const startNew = () => {
    setSelectedId(null);
    setDraft('');
    setListOpen(false);
    inputRef.current?.focus({ preventScroll: true });
  };

  const title =
    selectedId === null ? 'New conversation' : conversation.data?.title || 'Untitled conversation';

  return (
    <div
      ref={rootRef}
      style={height ? { height } : undefined}
      className="flex flex-col gap-3 lg:grid lg:grid-cols-[18rem_minmax(0,1fr)] lg:grid-rows-[minmax(0,1fr)] lg:gap-4"
    >
      <h1 className="sr-only">Chat</h1>
      <button
        type="button"
        className="btn-secondary shrink-0 justify-between lg:hidden"
        aria-expanded={listOpen}
        aria-controls="chat-conversations"
        onClick={() => setListOpen((o) => !o)}
      >
        <span>Conversations{total !== undefined && ` (${total})`}</span>
        <span aria-hidden="true">{listOpen ? '▴' : '▾'}</span>
      </button>
      <ChatSidebar
        id="chat-conversations"
        className={`${listOpen ? 'flex max-h-[50%]' : 'hidden'} lg:flex lg:max-h-none`}
        conversations={conversationRows}
        list={conversationList}
        loading={conversations.isPending}
        error={conversations.error}
        selectedId={selectedId}
        onSelect={(id) => {
          setSelectedId(id);
          setListOpen(false);
        }}
        onNew={startNew}
        onDelete={(id) => remove.mutateAsync(id)}
        onClearAll={() => clearAll.mutateAsync()}
        onRetry={() => void conversations.refetch()}
      />
      <section aria-label="Conversation" className="card flex min-h-0 min-w-0 flex-1 flex-col">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 p-3">
          <h2
            className="min-w-0 truncate text-sm font-semibold text-slate-900"
            data-testid="conversation-title"
            data-conversation-id={selectedId ?? ''}
          >
            {title}
          </h2>
          <FrameworkPicker
            variant="pills"
            value={framework}
            onChange={setFramework}
            label="Framework for the next message"
          />
        </div>

        <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto bg-slate-50/60 p-4">
          {selectedId !== null && conversation.isPending ? (
            <LoadingState label="Loading messages…" />
          ) : selectedId !== null && conversation.isError ? (
            <ErrorState
              error={conversation.error}
              title="Could not load this conversation"
              onRetry={() => void conversation.refetch()}
            />
          ) : messages.length === 0 && !pending ? (
            <div className="flex h-full flex-col items-center justify-center py-10 text-center text-sm text-slate-500">
              <p className="font-medium text-slate-700">Start a conversation</p>
              <p className="mt-1 max-w-sm">
                Each turn is a durable workflow update; switch frameworks at any time with the pills
                above.
              </p>
            </div>
          ) : (
            <ol role="log" aria-live="polite" aria-label="Messages" className="space-y-3">
              {messages.map((m) => (
                <ChatBubble
                  key={m.id}
                  role={m.role}
                  content={m.content}
                  createdAt={m.created_at}
                  tokens={m.total_tokens}
                  cost={m.estimated_cost_usd}
                />
              ))}
              {pending && (
                <ChatBubble
                  role="user"
                  content={pending.content}
                  createdAt={pending.createdAt}
                  pending
                />
              )}
              {send.isPending && (
                <li className="flex justify-start">
                  <div
                    role="status"
                    className="flex items-center gap-2 rounded-2xl rounded-bl-sm border border-slate-200 bg-white px-4 py-2.5 text-sm text-slate-500 shadow-sm"
                  >
                    <Spinner /> Thinking...
                  </div>
                </li>
              )}
            </ol>
          )}
        </div>

        <form onSubmit={submit} className="border-t border-slate-200 p-3">
          <label htmlFor="chat-input" className="sr-only">
            Message
          </label>
          <div className="flex items-end gap-2">
            <textarea
              id="chat-input"
              ref={inputRef}
              rows={2}
              maxLength={MAX_CHARS}
              className="input min-h-[2.75rem] resize-none"
              placeholder="Type a message… (Enter to send, Shift+Enter for a new line)"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onKeyDown}
              aria-describedby="chat-count"
            />
            <button
              type="submit"
              className="btn-primary shrink-0"
              disabled={!draft.trim() || send.isPending}
            >
              {send.isPending ? <Spinner /> : null}
              Send
            </button>
          </div>
          <p id="chat-count" className="mt-1 text-right text-[11px] text-slate-400">
            {draft.length}/{MAX_CHARS}
          </p>
        </form>
      </section>
    </div>
  );
}
