import { notFound } from 'next/navigation';
import { ActionEditor } from '@/components/remediation/action-editor';
import { ActionSecurity } from '@/components/remediation/action-security';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { getAction } from '@/lib/remediation/queries';

export const metadata = { title: 'Edit remediation action' };

export default async function EditRemediationActionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins change remediation actions." />;
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const action = await getAction(id, actor);
  if (!action) notFound();
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-[1fr_20rem]">
      <Card title={`Edit ${action.name}`}>
        <ActionEditor action={action} />
      </Card>
      <ActionSecurity action={action} />
    </div>
  );
}
