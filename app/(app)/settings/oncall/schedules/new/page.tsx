import { ScheduleEditor } from '@/components/oncall/schedule-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'New schedule' };

export default async function NewSchedulePage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins create schedules." />;
  const people = (await listUsers()).filter((u) => !u.disabled).map(({ email, name }) => ({ email, name }));
  return (
    <Card title="New schedule">
      <ScheduleEditor people={people} />
    </Card>
  );
}
