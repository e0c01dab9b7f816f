import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../api/errors';
import { deleteAllStories, getStory, listStories, searchStories } from '../api/stories';
import { ConfirmButton } from '../components/ConfirmButton';
import { LoadMore } from '../components/LoadMore';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { StoryCard } from '../components/StoryCard';
import { downloadStory, StoryModal } from '../components/StoryModal';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { usePagedList } from '../hooks/usePagedList';

const PAGE_SIZE = 30;

export function HistoryPage() {
  useDocumentTitle('Story History');
  const toast = useToast();
  const qc = useQueryClient();
  // The search and the open story live in the URL: a reload or a shared link shows the same.
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const openId = Number(params.get('story')) || null;
  const [term, setTerm] = useState(search);
  useEffect(() => setTerm(search), [search]);
  const setParam = (key: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: key === 'story' ? false : true },
    );

  const list = usePagedList(
    ['stories', 'list', search],
    (skip, limit) => (search ? searchStories(search, skip, limit) : listStories(skip, limit)),
    PAGE_SIZE,
  );
  const stories = list.query;
  const { rows, total } = list;

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
    setParam('q', term.trim());
  };

  return (
    <div>
      <PageHeader
        title="Story History"
        description={
          total !== undefined && !search
            ? `All ${total.toLocaleString()} stories, newest first. Open one to read it in full.`
            : 'Every story, newest first. Open one to read it in full.'
        }
        actions={
          <ConfirmButton
            title="Delete all stories?"
            message="All stories will be deleted permanently. Chats and context executions are kept."
            confirmLabel="Delete all stories"
            dismissLabel="Keep them"
            onConfirm={() => clear.mutateAsync()}
            disabled={rows.length === 0 && !search}
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
              setParam('q', null);
            }}
          >
            Clear search
          </button>
        )}
      </form>
      {search && (
        <p className="mb-3 text-sm text-slate-600" role="status">
          Showing results for “<strong>{search}</strong>”
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
      ) : rows.length === 0 ? (
        <EmptyState title={search ? 'No stories match this character' : 'No stories yet'}>
          {search ? 'Try another name.' : 'Generate one on the Generate Story page.'}
        </EmptyState>
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Stories">
            {rows.map((s) => (
              <StoryCard
                key={s.id}
                story={s}
                onView={() => setParam('story', String(s.id))}
                onDownload={() => void download(s.id)}
              />
            ))}
          </ul>
          <LoadMore
            className="mt-6"
            list={list}
            noun={search ? ['matching story', 'matching stories'] : ['story', 'stories']}
          />
        </>
      )}
      {openId !== null && <StoryModal storyId={openId} onClose={() => setParam('story', null)} />}
    </div>
  );
}
