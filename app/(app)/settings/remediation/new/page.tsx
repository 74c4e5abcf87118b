import { ActionEditor } from '@/components/remediation/action-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export const metadata = { title: 'New remediation action' };

export default async function NewRemediationActionPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins define remediation actions." />;
  return (
    <Card title="New remediation action">
      <ActionEditor />
    </Card>
  );
}
