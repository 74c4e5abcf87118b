import { notFound } from 'next/navigation';
import { incidentNumberSchema } from '@/lib/incidents/schema';

/** The `[number]` of an incident page; anything that is not an incident number is a 404. */
export function incidentNumberParam(raw: string): number {
  const parsed = incidentNumberSchema.safeParse(raw);
  if (!parsed.success) notFound();
  return parsed.data;
}
