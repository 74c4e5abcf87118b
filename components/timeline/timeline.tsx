'use client';

import { QueryClient, QueryClientProvider, useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Virtualizer, type VirtualizerHandle } from 'virtua';
import { editEventAction } from '@/lib/timeline/actions';
import type { TimelineEventDto } from '@/lib/timeline/schema';
import { timelineKinds, type TimelineKind } from '@/lib/timeline/kinds';
import { TimelineWriterContext } from './timeline-writer';
import { kindLabels, structuralKinds } from './kinds';
import { emptyFilters, isFiltered, timelineKeys, type TimelineFilters } from './query-keys';
import { TimelineItem } from './timeline-item';

type Page = { items: (TimelineEventDto & { pending?: boolean })[]; nextBefore: number | null };
type Props = {
  number: number;
  initial: Page;
  canWrite: boolean;
  variant?: 'command' | 'wall';
  /** The composer, from a page that lets people write (the wall screen has none). */
  children?: ReactNode;
};

function matches(event: TimelineEventDto, filters: TimelineFilters): boolean {
  if (filters.kinds.length && !filters.kinds.includes(event.kind)) return false;
  if (filters.pinnedOnly && !event.pinned) return false;
  if (filters.q.trim()) {
    const words = filters.q.toLowerCase().split(/\s+/).filter(Boolean);
    const text = event.body.toLowerCase();
    if (!words.every((word) => text.includes(word))) return false;
  }
  return true;
}

/** Puts a new or changed event into every cached list of this incident it belongs to. */
function upsertEvent(data: InfiniteData<Page> | undefined, event: Page['items'][number], filters: TimelineFilters): InfiniteData<Page> | undefined {
  if (!data) return data;
  let found = false;
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((item) => {
      if (item.id !== event.id) return item;
      found = true;
      return event;
    }),
  }));
  if (!found && matches(event, filters) && pages[0]) {
    // The real note can arrive over the stream before the action answers; it replaces the
    // optimistic copy (same author, same text) instead of showing twice.
    const isOwnPending = (item: Page['items'][number]) => item.pending && !event.pending && item.body === event.body && item.actor?.email === event.actor?.email;
    pages[0] = { ...pages[0], items: [event, ...pages[0].items.filter((item) => !isOwnPending(item))] };
  }
  if (found && !matches(event, filters)) {
    return { ...data, pages: pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== event.id) })) };
  }
  return { ...data, pages };
}

function parseFilters(key: readonly unknown[]): TimelineFilters {
  return (key[3] as TimelineFilters | undefined) ?? emptyFilters;
}

function TimelineView({ number, initial, canWrite, variant = 'command', children }: Props) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [filters, setFilters] = useState<TimelineFilters>(emptyFilters);
  const [search, setSearch] = useState('');
  const [connection, setConnection] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const parentRef = useRef<HTMLDivElement>(null);
  const wall = variant === 'wall';

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const query = useInfiniteQuery({
    queryKey: timelineKeys.list(number, filters),
    queryFn: async ({ pageParam }): Promise<Page> => {
      const params = new URLSearchParams({ limit: '100' });
      if (pageParam) params.set('before', String(pageParam));
      if (filters.kinds.length) params.set('kind', filters.kinds.join(','));
      if (filters.pinnedOnly) params.set('pinned', 'true');
      if (filters.q.trim()) params.set('q', filters.q.trim());
      const response = await fetch(`/api/v1/incidents/${number}/timeline/search?${params}`);
      if (!response.ok) throw new Error(((await response.json().catch(() => null)) as { detail?: string } | null)?.detail ?? `The timeline could not be loaded (${response.status}).`);
      return response.json();
    },
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    initialData: isFiltered(filters) ? undefined : { pages: [initial], pageParams: [undefined] },
    staleTime: Infinity, // the stream keeps it current
  });

  // The live stream: resume from the newest event the server rendered, so nothing between the
  // render and the connection is missed; EventSource resends Last-Event-ID on reconnects.
  const resumeFrom = useMemo(() => initial.items.reduce((max, e) => Math.max(max, e.seq), 0), [initial]);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const applyEvent = useCallback(
    (event: TimelineEventDto) => {
      for (const [key, data] of queryClient.getQueriesData<InfiniteData<Page>>({ queryKey: timelineKeys.all(number) })) {
        if (key[2] !== 'list') continue;
        queryClient.setQueryData(key, upsertEvent(data, event, parseFilters(key)));
      }
      // A notification's delivery result changes nothing outside the timeline.
      const notificationResult = event.kind === 'communication' && typeof (event.data as { notificationId?: unknown } | null)?.notificationId === 'string';
      if (structuralKinds.includes(event.kind) && !notificationResult && !refreshTimer.current) {
        // Status, severity and role changes also change the header and sidebar.
        refreshTimer.current = setTimeout(() => {
          refreshTimer.current = null;
          router.refresh();
        }, 300);
      }
    },
    [number, queryClient, router],
  );

  useEffect(() => {
    const source = new EventSource(`/api/v1/incidents/${number}/stream?lastEventId=${resumeFrom}`);
    const onEvent = (message: MessageEvent<string>) => applyEvent(JSON.parse(message.data) as TimelineEventDto);
    source.addEventListener('timeline', onEvent);
    source.addEventListener('timeline.updated', onEvent);
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection(source.readyState === EventSource.CLOSED ? 'reconnecting' : 'reconnecting'));
    return () => source.close();
  }, [number, resumeFrom, applyEvent]);

  const events = useMemo(() => {
    const seen = new Set<string>();
    const all = (query.data?.pages ?? []).flatMap((page) => page.items).filter((event) => (seen.has(event.id) ? false : (seen.add(event.id), true)));
    // Newest first: by when it happened (notes may be back-dated), ties by seq.
    return all.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.seq - a.seq);
  }, [query.data]);

  // The list is virtualised: only the rows near the viewport are mounted, each measured as it
  // renders. Older pages load as the reader nears the end of what is loaded.
  const listRef = useRef<VirtualizerHandle>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadOlderWhenNearTheEnd = useCallback(() => {
    const list = listRef.current;
    if (!list || !hasNextPage || isFetchingNextPage) return;
    const lastVisible = list.findItemIndex(list.scrollOffset + list.viewportSize);
    if (lastVisible >= events.length - 15) void fetchNextPage();
  }, [events.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  // A short list (or a page that arrived while the reader stayed near the end) needs no scroll.
  useEffect(loadOlderWhenNearTheEnd, [loadOlderWhenNearTheEnd]);

  const removeEvent = useCallback(
    (eventId: string) => {
      for (const [key, data] of queryClient.getQueriesData<InfiniteData<Page>>({ queryKey: timelineKeys.all(number) })) {
        if (key[2] !== 'list' || !data) continue;
        queryClient.setQueryData(key, { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== eventId) })) });
      }
    },
    [number, queryClient],
  );
  const settlePending = useCallback(
    (pendingId: string, event: TimelineEventDto | null) => {
      removeEvent(pendingId);
      if (event) applyEvent(event); // the stream may have delivered it already; upsert dedupes by id
    },
    [removeEvent, applyEvent],
  );

  const writer = useMemo(() => ({ onPending: applyEvent, onSettled: settlePending }), [applyEvent, settlePending]);

  const onEdit = useCallback(
    async (eventId: string, patch: { body?: string; pinned?: boolean }) => {
      const result = await editEventAction(null, { number, eventId, patch });
      if (result.ok) applyEvent(result.data);
      return result;
    },
    [number, applyEvent],
  );

  const toggleKind = (kind: TimelineKind) =>
    setFilters((f) => ({ ...f, kinds: f.kinds.includes(kind) ? f.kinds.filter((k) => k !== kind) : [...f.kinds, kind] }));

  return (
    <section aria-label="Timeline" className={`flex min-h-0 flex-col ${wall ? 'h-full' : ''}`}>
      {canWrite && !wall ? <TimelineWriterContext value={writer}>{children}</TimelineWriterContext> : null}
      <div className="flex flex-wrap items-center gap-1.5 border-b border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800" role="toolbar" aria-label="Timeline filters">
        {timelineKinds
          .filter((kind) => kind !== 'postmortem')
          .map((kind) => (
            <button
              key={kind}
              type="button"
              aria-pressed={filters.kinds.includes(kind)}
              onClick={() => toggleKind(kind)}
              className={`rounded-full border px-2 py-0.5 ${filters.kinds.includes(kind) ? 'border-sky-500 bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200' : 'border-zinc-300 text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-400 dark:hover:bg-zinc-800'}`}
            >
              {kindLabels[kind]}
            </button>
          ))}
        <label className="ml-1 inline-flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={filters.pinnedOnly} onChange={(e) => setFilters((f) => ({ ...f, pinnedOnly: e.target.checked }))} />
          Key events only
        </label>
        <label className="sr-only" htmlFor={`timeline-search-${number}`}>
          Search the timeline
        </label>
        <input
          id={`timeline-search-${number}`}
          data-shortcut="timeline-search"
          aria-keyshortcuts="/"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search notes…"
          className="ml-auto w-40 rounded-md border border-zinc-300 bg-white px-2 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900 sm:w-56"
        />
        <span
          role="status"
          className={`inline-flex items-center gap-1 ${connection === 'live' ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}`}
          title={connection === 'live' ? 'Receiving changes as they happen' : 'Reconnecting to the live stream; nothing will be missed'}
        >
          <span aria-hidden="true" className="inline-block size-2 rounded-full bg-current" />
          {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting' : 'Reconnecting'}
        </span>
      </div>
      {query.error ? (
        <p role="alert" className="px-3 py-2 text-sm text-red-600">
          {query.error.message}
        </p>
      ) : null}
      <div ref={parentRef} className={`min-h-0 flex-1 overflow-y-auto ${wall ? '' : 'max-h-[70dvh] lg:max-h-[calc(100dvh-14rem)]'}`} tabIndex={0} aria-label="Timeline events, newest first">
        {events.length === 0 && !query.isFetching ? (
          <p className="px-3 py-6 text-center text-sm text-zinc-500">{isFiltered(filters) ? 'No events match these filters.' : 'Nothing on the timeline yet.'}</p>
        ) : null}
        <Virtualizer ref={listRef} scrollRef={parentRef} data={events} itemSize={wall ? 96 : 64} bufferSize={wall ? 960 : 640} onScroll={loadOlderWhenNearTheEnd}>
          {(event) => <TimelineItem key={event.id} number={number} event={event} canWrite={canWrite && !wall} large={wall} onEdit={onEdit} />}
        </Virtualizer>
        {query.isFetchingNextPage ? <p className="px-3 py-2 text-center text-xs text-zinc-500">Loading older events…</p> : null}
      </div>
    </section>
  );
}

export function Timeline(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }));
  return (
    <QueryClientProvider client={client}>
      <TimelineView {...props} />
    </QueryClientProvider>
  );
}
