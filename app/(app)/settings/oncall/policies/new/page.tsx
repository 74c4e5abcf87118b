import { PolicyEditor } from '@/components/oncall/policy-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSchedules } from '@/lib/oncall/queries';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'New escalation policy' };

export default async function NewPolicyPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins create escalation policies." />;
  const [users, schedules] = await Promise.all([listUsers(), listSchedules()]);
  return (
    <Card title="New escalation policy">
      <PolicyEditor people={users.filter((u) => !u.disabled).map(({ email, name }) => ({ email, name }))} schedules={schedules.map(({ id, name }) => ({ id, name }))} />
    </Card>
  );
}
