// Message templates the team already has: imported runbooks keep their playbooks' "Templates"
// sections as reference notes (kind message_template). Each fenced block in such a note is a
// message; the bold label or heading before it names it. Admins turn them into update templates.
import { db } from '@/lib/platform/db';
import type { RunbookReference } from '@/lib/runbooks/schema';

export type TemplateSuggestion = { name: string; body: string; source: string };

const FENCE = /```[^\n]*\n([\s\S]*?)```/g;

function labelBefore(text: string): string | null {
  const lines = text.trimEnd().split('\n').reverse();
  for (const line of lines.slice(0, 3)) {
    const bold = /\*\*([^*]+)\*\*/.exec(line);
    if (bold) return bold[1]!.trim();
    const heading = /^#{1,6}\s+(.+)$/.exec(line.trim());
    if (heading) return heading[1]!.replace(/[*_`]/g, '').trim();
  }
  return null;
}

export function messagesInNote(reference: Pick<RunbookReference, 'title' | 'markdown'>): { name: string; body: string }[] {
  const found: { name: string; body: string }[] = [];
  let last = 0;
  for (const match of reference.markdown.matchAll(FENCE)) {
    const body = match[1]!.trim();
    const label = labelBefore(reference.markdown.slice(last, match.index));
    last = match.index + match[0].length;
    if (body) found.push({ name: label ?? reference.title, body });
  }
  return found;
}

/** Message templates found in the latest version of every runbook, without duplicates. */
export async function templateSuggestions(): Promise<TemplateSuggestion[]> {
  const runbooks = await db.runbook.findMany({ where: { archivedAt: null }, select: { id: true, title: true, latestVersion: true } });
  if (!runbooks.length) return [];
  const versions = await db.runbookVersion.findMany({
    where: { OR: runbooks.map((r) => ({ runbookId: r.id, version: r.latestVersion })) },
    select: { runbookId: true, references: true },
  });
  const titles = new Map(runbooks.map((r) => [r.id, r.title]));
  const seen = new Set<string>();
  const out: TemplateSuggestion[] = [];
  for (const version of versions) {
    for (const reference of version.references as RunbookReference[]) {
      if (reference.kind !== 'message_template') continue;
      for (const message of messagesInNote(reference)) {
        if (seen.has(message.body)) continue;
        seen.add(message.body);
        out.push({ ...message, source: titles.get(version.runbookId) ?? 'a runbook' });
      }
    }
  }
  return out.slice(0, 50);
}
