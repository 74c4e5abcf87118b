import { notFound } from 'next/navigation';
import { PolicyEditor } from '@/components/oncall/policy-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { getPolicy, listSchedules } from '@/lib/oncall/queries';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'Escalation policy' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins edit escalation policies." />;
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [policy, users, schedules] = await Promise.all([getPolicy(id), listUsers(), listSchedules()]);
  if (!policy) notFound();
  return (
    <Card title={`Escalation policy: ${policy.name}`}>
      <PolicyEditor policy={policy} people={users.filter((u) => !u.disabled).map(({ email, name }) => ({ email, name }))} schedules={schedules.map(({ id: scheduleId, name }) => ({ id: scheduleId, name }))} />
    </Card>
  );
}
