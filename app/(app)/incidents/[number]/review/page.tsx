import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ReviewDeviations } from '@/components/insights/review-deviations';
import { ReviewAttachments } from '@/components/postmortems/review-attachments';
import { ReviewWorkspace } from '@/components/postmortems/review-workspace';
import { listIncidentDeviations } from '@/lib/insights/runbook-feedback';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { findIncidentRef, getIncident } from '@/lib/incidents/queries';
import { incidentNumberParam } from '@/lib/incidents/page-params';
import { incidentKey } from '@/lib/incidents/schema';
import { getPostmortem } from '@/lib/postmortems/queries';
import { listUsers } from '@/lib/users/queries';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Review of ${incidentKey(incidentNumberParam((await params).number))}` };
}

export default async function ReviewPage({ params }: Params) {
  const actor = await requireUser('read');
  const number = incidentNumberParam((await params).number);
  if (!(await findIncidentRef(number, actor))) notFound();
  const [incident, review, users, deviations] = await Promise.all([getIncident(number, actor), getPostmortem(number, actor), listUsers(), listIncidentDeviations(number, actor)]);
  const people = users.filter((u) => !u.disabled).map(({ email, name }) => ({ email, name }));
  return (
    <div className="space-y-4">
      <header>
        <p className="no-print text-sm">
          <Link href={`/incidents/${number}`} className="text-sky-700 hover:underline dark:text-sky-400">
            ← {incidentKey(number)}
          </Link>
        </p>
        <h1 className="text-xl font-semibold">
          Post-incident review: {incidentKey(number)} {incident.title}
        </h1>
        <p className="text-xs text-zinc-500">
          {incident.severity} · incident {incident.status}
        </p>
      </header>
      <ReviewDeviations groups={deviations} canEdit={can(actor, 'incidents.work')} />
      <ReviewWorkspace number={number} review={review} people={people} canEdit={can(actor, 'incidents.work')} me={actor.email} />
      {review ? <ReviewAttachments attachments={review.attachments} /> : null}
    </div>
  );
}
