import { SourceCreate } from '@/components/alerts/source-create';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { publicUrl } from '@/lib/platform/urls';

export const metadata = { title: 'New alert source' };

export default async function NewAlertSourcePage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins add alert sources." />;
  return (
    <Card title="New alert source">
      <SourceCreate baseUrl={publicUrl('') || 'https://sitrep.example.com'} />
    </Card>
  );
}
