import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SourceControls } from '@/components/alerts/source-controls';
import { SourceEditor } from '@/components/alerts/source-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { kindNames } from '@/lib/alerts/kinds';
import { getSource } from '@/lib/alerts/queries';
import { NotFoundError } from '@/lib/platform/errors';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { publicUrl } from '@/lib/platform/urls';
import { listSeverities } from '@/lib/severities/queries';
import { listPolicies } from '@/lib/oncall/queries';

export const metadata = { title: 'Alert source' };

export default async function AlertSourcePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins see and change alert sources." />;
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const source = await getSource(id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [severities, policies] = await Promise.all([listSeverities(), listPolicies()]);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 className="text-lg font-semibold">{source.name}</h2>
        <span className="text-sm text-zinc-500">{kindNames[source.kind]}</span>
        <Link href={`/alerts?sourceId=${source.id}`} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          {source.unresolvedAlerts} unresolved alert{source.unresolvedAlerts === 1 ? '' : 's'} →
        </Link>
      </div>
      <Card title="Routes">
        <SourceEditor source={source} severities={severities.map(({ key, name }) => ({ key, name }))} policies={policies.map(({ id, name }) => ({ id, name }))} />
      </Card>
      <Card title="Send alerts here">
        <SourceControls source={source} baseUrl={publicUrl('') || 'https://sitrep.example.com'} />
      </Card>
    </div>
  );
}
