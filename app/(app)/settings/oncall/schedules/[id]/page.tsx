import { notFound } from 'next/navigation';
import { OverrideForm } from '@/components/oncall/override-form';
import { ScheduleEditor } from '@/components/oncall/schedule-editor';
import { RemoveOverrideButton } from '@/components/oncall/take-shift-button';
import { dateClock } from '@/components/oncall/format';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { getSchedule, listOverrides } from '@/lib/oncall/queries';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'Schedule' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins edit schedules." />;
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [schedule, users] = await Promise.all([getSchedule(id), listUsers()]);
  if (!schedule) notFound();
  const overrides = await listOverrides(id);
  const people = users.filter((u) => !u.disabled).map(({ email, name }) => ({ email, name }));
  return (
    <div className="space-y-4">
      <Card title={`Schedule: ${schedule.name}`}>
        <ScheduleEditor schedule={schedule} people={people} />
      </Card>
      <Card title="Overrides">
        {overrides.length ? (
          <ul aria-label="Overrides" className="mb-3 space-y-1 text-sm">
            {overrides.map((override) => (
              <li key={override.id} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{override.name}</span>
                <span>
                  {dateClock(override.start, schedule.timeZone)} – {dateClock(override.end, schedule.timeZone)} ({schedule.timeZone})
                </span>
                <RemoveOverrideButton scheduleId={schedule.id} overrideId={override.id} label={`Remove the override of ${override.name}`} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="mb-3 text-sm text-zinc-500">No overrides ahead.</p>
        )}
        <OverrideForm scheduleId={schedule.id} people={people} me={actor.email} />
      </Card>
    </div>
  );
}
