import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/errors';
import { deleteAllStories, getStory, listStories, searchStories } from '../api/stories';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { StoryCard } from '../components/StoryCard';
import { downloadStory, StoryModal } from '../components/StoryModal';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';

export function HistoryPage() {
  useDocumentTitle('Story History');
  const toast = useToast();
  const qc = useQueryClient();
  const [term, setTerm] = useState('');
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);

  const stories = useQuery({
    queryKey: ['stories', 'list', search],
    queryFn: () => (search ? searchStories(search) : listStories(100)),
  });

  const clear = useMutation({
    mutationFn: deleteAllStories,
    onSuccess: (r) => {
      toast.success(
        r.deleted_count !== undefined
          ? `Deleted ${r.deleted_count} stories`
          : 'All stories deleted',
      );
      void qc.invalidateQueries({ queryKey: ['stories'] });
      void qc.invalidateQueries({ queryKey: ['cost'] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  const download = async (id: number) => {
    try {
      downloadStory(
        await qc.fetchQuery({ queryKey: ['stories', 'detail', id], queryFn: () => getStory(id) }),
      );
    } catch (err) {
      toast.error(`Download failed: ${errorMessage(err)}`);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch(term.trim());
  };

  return (
    <div>
      <PageHeader
        title="Story History"
        description="Every story, newest first. Open one to read it in full."
        actions={
          <ConfirmButton
            title="Delete all stories?"
            message="All stories will be deleted permanently. Chats and context executions are kept."
            confirmLabel="Delete all stories"
            onConfirm={() => clear.mutateAsync()}
            disabled={!stories.data?.length && !search}
          >
            Clear all
          </ConfirmButton>
        }
      />
      <form role="search" onSubmit={submit} className="mb-4 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="story-search" className="sr-only">
          Search by character
        </label>
        <input
          id="story-search"
          type="search"
          className="input sm:max-w-sm"
          placeholder="Search by character name…"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
        />
        <button type="submit" className="btn-primary">
          Search
        </button>
        {search && (
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setTerm('');
              setSearch('');
            }}
          >
            Clear search
          </button>
        )}
      </form>
      {search && (
        <p className="mb-3 text-sm text-slate-600" role="status">
          Showing results for “<strong>{search}</strong>”
          {stories.data ? ` (${stories.data.length})` : ''}
        </p>
      )}

      {stories.isPending ? (
        <LoadingState label="Loading stories…" />
      ) : stories.isError ? (
        <ErrorState
          error={stories.error}
          title="Could not load stories"
          onRetry={() => void stories.refetch()}
        />
      ) : stories.data.length === 0 ? (
        <EmptyState title={search ? 'No stories match this character' : 'No stories yet'}>
          {search ? 'Try another name.' : 'Generate one on the Generate Story page.'}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Stories">
          {stories.data.map((s) => (
            <StoryCard
              key={s.id}
              story={s}
              onView={() => setOpenId(s.id)}
              onDownload={() => void download(s.id)}
            />
          ))}
        </ul>
      )}
      {openId !== null && <StoryModal storyId={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
