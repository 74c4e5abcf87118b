import Link from 'next/link';
import { Forbidden } from '@/components/shell/forbidden';
import { RunbookImporter } from '@/components/runbooks/runbook-importer';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { warmImportPool } from '@/lib/runbooks/import/pool';

export const metadata = { title: 'Import runbooks' };

export default async function ImportRunbooksPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'incidents.work')) return <Forbidden what="Viewers read runbooks; responders and admins import them." />;
  // The importer's worker thread takes a moment to start; start it while the person pastes.
  warmImportPool();
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs text-zinc-500">
          <Link href="/runbooks" className="hover:underline">
            Runbooks
          </Link>{' '}
          /
        </p>
        <h1 className="text-xl font-semibold">Import runbooks from Markdown</h1>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Headings become runbooks and phases; numbered, bulleted and task-list items become steps, and so do <code className="whitespace-nowrap font-mono">{'# 1. …'}</code> comments inside code
          blocks and instructions written as prose. Alert runbooks and alert tables become one runbook per alert. Contact tables, escalation chains and templates are kept as reference
          notes. The preview shows what was recognised in each runbook; nothing is saved until you press Import.
        </p>
      </div>
      <RunbookImporter />
    </div>
  );
}
