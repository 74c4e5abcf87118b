import type { TimelineKind } from '@/lib/timeline/schema';

export type TimelineFilters = { kinds: TimelineKind[]; pinnedOnly: boolean; q: string };

export const emptyFilters: TimelineFilters = { kinds: [], pinnedOnly: false, q: '' };

/** TanStack Query keys of the timeline domain. */
export const timelineKeys = {
  all: (number: number) => ['timeline', number] as const,
  list: (number: number, filters: TimelineFilters) => ['timeline', number, 'list', filters] as const,
  revisions: (number: number, eventId: string) => ['timeline', number, 'revisions', eventId] as const,
};

export function isFiltered(filters: TimelineFilters): boolean {
  return filters.kinds.length > 0 || filters.pinnedOnly || filters.q.trim() !== '';
}
