import type { ChatConversationListItem } from '../api/types';
import { formatDateTime } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';
import { ConfirmButton } from './ConfirmButton';
import type { PagedList } from '../hooks/usePagedList';
import { LoadMore } from './LoadMore';
import { ErrorState, LoadingState } from './states';

interface ChatSidebarProps {
  id?: string;
  className?: string;
  conversations: ChatConversationListItem[] | undefined;
  /** The paged list the conversations come from: how many in all, and the next page. */
  list: PagedList;
  loading: boolean;
  error: unknown;
  selectedId: number | null;
  onSelect: (id: number) => void;
  onNew: () => void;
  onDelete: (id: number) => Promise<unknown>;
  onClearAll: () => Promise<unknown>;
  onRetry: () => void;
}

export function ChatSidebar({
  id,
  className = 'flex',
  conversations,
  list,
  loading,
  error,
  selectedId,
  onSelect,
  onNew,
  onDelete,
  onClearAll,
  onRetry,
}: ChatSidebarProps) {
  const { total } = list;
  return (
    <aside id={id} aria-label="Conversations" className={`card min-h-0 flex-col ${className}`}>
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 p-3">
        <h2 className="text-sm font-semibold whitespace-nowrap text-slate-900">
          Conversations{total !== undefined && ` (${total})`}
        </h2>
        <div className="flex gap-1">
          <button
            type="button"
            className="btn-primary px-2 py-1 text-xs whitespace-nowrap"
            onClick={onNew}
          >
            + New
          </button>
          <ConfirmButton
            className="btn-ghost px-2 py-1 text-xs whitespace-nowrap text-red-600 hover:bg-red-50"
            title="Delete all conversations?"
            message={`Every conversation${total !== undefined ? ` (${total})` : ''} and its messages will be deleted. This cannot be undone.`}
            confirmLabel="Delete all conversations"
            dismissLabel="Keep them"
            onConfirm={onClearAll}
            disabled={!conversations?.length}
          >
            Clear all
          </ConfirmButton>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {loading ? (
          <LoadingState label="Loading conversations…" />
        ) : error ? (
          <ErrorState error={error} title="Could not load conversations" onRetry={onRetry} />
        ) : !conversations?.length ? (
          <p className="px-2 py-6 text-center text-sm text-slate-500">
            No conversations yet. Send a message to start one.
          </p>
        ) : (
          <>
            <ul className="space-y-1" data-testid="conversation-list">
              {conversations.map((c) => {
                const selected = c.id === selectedId;
                return (
                  <li
                    key={c.id}
                    className={`group flex items-stretch rounded-md ${selected ? 'bg-indigo-50 ring-1 ring-indigo-200' : 'hover:bg-slate-50'}`}
                  >
                    <button
                      type="button"
                      className="min-w-0 flex-1 rounded-md px-2 py-2 text-left"
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => onSelect(c.id)}
                      data-testid="conversation-item"
                      data-conversation-id={c.id}
                    >
                      <span className="block truncate text-sm font-medium text-slate-800">
                        {c.title || 'Untitled conversation'}
                      </span>
                      <span className="block truncate text-xs text-slate-500">
                        {formatDateTime(c.updated_at ?? c.created_at)} · {frameworkLabel(c.method)}
                        {c.message_count !== undefined && ` · ${c.message_count} msg`}
                      </span>
                    </button>
                    <ConfirmButton
                      className="rounded-md px-2 text-slate-400 opacity-100 hover:text-red-600 focus:opacity-100 lg:opacity-0 lg:group-hover:opacity-100"
                      aria-label={`Delete conversation ${c.title || c.id}`}
                      title="Delete this conversation?"
                      message={`“${c.title || 'Untitled conversation'}” and its ${c.message_count} message(s) will be deleted. This cannot be undone.`}
                      confirmLabel="Delete conversation"
                      dismissLabel="Keep it"
                      onConfirm={() => onDelete(c.id)}
                    >
                      <svg
                        viewBox="0 0 20 20"
                        className="size-4"
                        fill="currentColor"
                        aria-hidden="true"
                      >
                        <path d="M8 2h4a1 1 0 0 1 1 1v1h4v2H3V4h4V3a1 1 0 0 1 1-1zm-3 6h10l-.8 9.1A1 1 0 0 1 13.2 18H6.8a1 1 0 0 1-1-.9L5 8z" />
                      </svg>
                    </ConfirmButton>
                  </li>
                );
              })}
            </ul>
            <LoadMore
              className="mt-2 text-xs"
              list={list}
              noun={['conversation', 'conversations']}
            />
          </>
        )}
      </div>
    </aside>
  );
}
