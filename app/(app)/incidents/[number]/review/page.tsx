import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ReviewWorkspace } from '@/components/postmortems/review-workspace';
import { can } from '@/lib/auth/policy';
import { requireUser } from '@/lib/auth/session';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';
import { getPostmortem } from '@/lib/postmortems/queries';
import { db } from '@/lib/db';
import { listUsers } from '@/lib/users/queries';

type Params = { params: Promise<{ number: string }> };

function parseNumber(raw: string): number {
  const number = Number(raw);
  if (!Number.isInteger(number) || number <= 0) notFound();
  return number;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Review of ${incidentKey(parseNumber((await params).number))}` };
}

export default async function ReviewPage({ params }: Params) {
  const actor = await requireUser('read');
  const number = parseNumber((await params).number);
  const id = await incidentIdByNumber(number);
  if (!id) notFound();
  const [incident, review, users] = await Promise.all([db.incident.findUniqueOrThrow({ where: { id }, select: { title: true, severityKey: true, status: true } }), getPostmortem(number), listUsers()]);
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
          {incident.severityKey} · incident {incident.status}
        </p>
      </header>
      <ReviewWorkspace number={number} review={review} people={people} canEdit={can(actor, 'incidents.work')} me={actor.email} />
    </div>
  );
}
