'use client';
// How the composer hands its notes to the timeline it sits on: the timeline provides these, the
// composer (passed in by the page that lets people write, so the wall screen never loads it)
// reads them.
import { createContext, useContext } from 'react';
import type { TimelineEventDto } from '@/lib/timeline/schema';

export type TimelineWriter = {
  /** Shows the note at once, marked as sending; settled with the server's event or removed. */
  onPending: (event: TimelineEventDto & { pending: true }) => void;
  onSettled: (pendingId: string, event: TimelineEventDto | null) => void;
};

export const TimelineWriterContext = createContext<TimelineWriter | null>(null);

export function useTimelineWriter(): TimelineWriter {
  const writer = useContext(TimelineWriterContext);
  if (!writer) throw new Error('The composer must be rendered inside a <Timeline>.');
  return writer;
}
