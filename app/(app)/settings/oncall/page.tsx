import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { buttonClasses } from '@/components/ui/button';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listOnCall, listPolicies, listSchedules } from '@/lib/oncall/queries';

export const metadata: Metadata = { title: 'On-call settings' };

function rotationText(rotation: 'daily' | 'weekly' | { hours: number }): string {
  return typeof rotation === 'object' ? `every ${rotation.hours} h` : rotation;
}

export default async function OnCallSettingsPage() {
  const actor = await requireUser('read');
  const isAdmin = can(actor, 'settings.manage');
  const [schedules, policies, onCall] = await Promise.all([listSchedules(), listPolicies(), listOnCall()]);
  const scheduleName = new Map(schedules.map((s) => [s.id, s.name]));
  const nowIn = new Map(onCall.map((entry) => [entry.schedule.id, entry.now[0]?.name ?? null]));
  return (
    <div className="space-y-4">
      <Card
        title={`Schedules (${schedules.length})`}
        actions={isAdmin ? <Link href="/settings/oncall/schedules/new" className={buttonClasses('primary', 'px-2 py-1 text-xs')}>New schedule</Link> : undefined}
      >
        {schedules.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Schedules">
            {schedules.map((schedule) => (
              <li key={schedule.id} className="flex flex-wrap items-baseline gap-x-3 py-2 text-sm">
                {isAdmin ? (
                  <Link href={`/settings/oncall/schedules/${schedule.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                    {schedule.name}
                  </Link>
                ) : (
                  <span className="font-medium">{schedule.name}</span>
                )}
                <span className="text-xs text-zinc-500">{schedule.timeZone}</span>
                <span className="text-xs text-zinc-500">
                  {schedule.layers.map((layer, i) => `${layer.name || `Layer ${i + 1}`}: ${rotationText(layer.rotation)} at ${layer.handoffTime}, ${layer.participants.length} people${layer.restrictions.length ? ', restricted' : ''}`).join(' · ')}
                </span>
                <span className="ml-auto text-xs">{nowIn.get(schedule.id) ? `${nowIn.get(schedule.id)} is on call` : 'nobody on call'}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">No schedules yet.</p>
        )}
      </Card>
      <Card
        title={`Escalation policies (${policies.length})`}
        actions={isAdmin ? <Link href="/settings/oncall/policies/new" className={buttonClasses('primary', 'px-2 py-1 text-xs')}>New policy</Link> : undefined}
      >
        {policies.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Escalation policies">
            {policies.map((policy) => (
              <li key={policy.id} className="py-2 text-sm">
                {isAdmin ? (
                  <Link href={`/settings/oncall/policies/${policy.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                    {policy.name}
                  </Link>
                ) : (
                  <span className="font-medium">{policy.name}</span>
                )}
                <ol className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-zinc-500">
                  {policy.levels.map((level, i) => (
                    <li key={i}>
                      {i + 1}. {level.targets.map((t) => ('user' in t ? t.user : `on call in ${scheduleName.get(t.schedule) ?? '?'}`)).join(', ')} ({level.delaySeconds / 60} min){i < policy.levels.length - 1 ? ' →' : ''}
                    </li>
                  ))}
                  {policy.repeat ? <li>repeated {policy.repeat}×</li> : null}
                </ol>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">No escalation policies yet.</p>
        )}
      </Card>
    </div>
  );
}
