-- Timeline search (lib/timeline/queries.ts, listTimelinePage) matched to_tsvector('english', body)
-- computed for every event of the incident it looked through: about a second in an incident of
-- 50,000 events when the words are rare. The words are now stored with the row and kept by
-- PostgreSQL itself; schema.prisma declares the column as Unsupported("tsvector"), and the
-- migration engine compares its type only, so it leaves the generation expression alone.
ALTER TABLE "timeline_events" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "body")) STORED;
