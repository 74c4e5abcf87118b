import Link from 'next/link';
import { EndSilenceButton, SilenceForm } from '@/components/alerts/silence-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { matcherLines } from '@/lib/alerts/matcher-text';
import { listSilences } from '@/lib/alerts/queries';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export const metadata = { title: 'Silences' };

const tones = { active: 'warning', pending: 'info', expired: 'neutral' } as const;

export default async function SilencesPage() {
  const actor = await requireUser('read');
  const silences = await listSilences();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">Silences</h1>
        <Link href="/alerts" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          ← Alerts
        </Link>
      </div>
      <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        A silence (maintenance window) keeps matching alerts stored and visible as silenced, but they page no one and declare nothing. When it ends, alerts it silenced that still fire are routed as usual.
      </p>
      {can(actor, 'incidents.work') ? (
        <Card title="New silence">
          <SilenceForm />
        </Card>
      ) : null}
      <Card title={`Silences (${silences.length})`}>
        {silences.length === 0 ? (
          <p className="text-sm text-zinc-500">No silences in the last 7 days.</p>
        ) : (
          <ul aria-label="Silences" className="-m-4 divide-y divide-zinc-100 dark:divide-zinc-800">
            {silences.map((silence) => (
              <li key={silence.id} className="flex flex-wrap items-start gap-x-4 gap-y-1 px-4 py-3 text-sm">
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={tones[silence.state]}>{silence.state}</Badge>
                    <span className="font-medium">{silence.comment}</span>
                  </div>
                  <pre className="whitespace-pre-wrap break-all font-mono text-xs text-zinc-600 dark:text-zinc-400">{matcherLines(silence.matchers)}</pre>
                  <p className="text-xs text-zinc-500">
                    {new Date(silence.startsAt).toISOString().replace('T', ' ').slice(0, 16)} → {new Date(silence.endsAt).toISOString().replace('T', ' ').slice(0, 16)} UTC · by {silence.createdBy?.name ?? 'Sitrep'}{' '}
                    <RelativeTime date={silence.createdAt} /> · {silence.silencedAlerts} alert{silence.silencedAlerts === 1 ? '' : 's'} silenced
                    {silence.endedBy ? ` · ended early by ${silence.endedBy.name}` : ''}
                  </p>
                </div>
                {silence.state !== 'expired' && can(actor, 'incidents.work') ? <EndSilenceButton id={silence.id} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
