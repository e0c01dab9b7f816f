import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
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
import { useToast } from '../hooks/toast-context';
import { frameworkInfo, type FrameworkSlug } from '../lib/frameworks';

const MAX_CHARS = 2000;

interface PendingMessage {
  content: string;
  createdAt: string;
}

export function ChatPage() {
  useDocumentTitle('Chat');
  const toast = useToast();
  const qc = useQueryClient();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [framework, setFramework] = useState<FrameworkId>('semantic_kernel');
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<PendingMessage | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const conversations = useQuery({
    queryKey: ['chat', 'conversations'],
    queryFn: () => listConversations(),
  });
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
      setSelectedId(res.conversation.id);
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
      inputRef.current?.focus();
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

  const messages = selectedId !== null ? (conversation.data?.messages ?? []) : [];

  useEffect(() => {
    endRef.current?.scrollIntoView({ behavior: 'smooth', block: 'end' });
  }, [messages.length, pending, send.isPending]);

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
    inputRef.current?.focus();
  };

  const title =
    selectedId === null ? 'New conversation' : conversation.data?.title || 'Untitled conversation';

  return (
    <div className="grid gap-4 lg:h-[calc(100vh-11rem)] lg:grid-cols-[18rem_1fr]">
      <h1 className="sr-only">Chat</h1>
      <ChatSidebar
        conversations={conversations.data}
        loading={conversations.isPending}
        error={conversations.error}
        selectedId={selectedId}
        onSelect={setSelectedId}
        onNew={startNew}
        onDelete={(id) => remove.mutate(id)}
        onClearAll={() => clearAll.mutateAsync()}
        onRetry={() => void conversations.refetch()}
      />
      <section aria-label="Conversation" className="card flex min-h-[60vh] flex-col lg:min-h-0">
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

        <div className="min-h-0 flex-1 overflow-y-auto bg-slate-50/60 p-4">
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
          <div ref={endRef} />
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
