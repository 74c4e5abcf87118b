import type { Metadata } from 'next';
import { CalendarFeedButton } from '@/components/oncall/calendar-feed-button';
import { ContactMethods } from '@/components/oncall/contact-methods';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listContactMethods } from '@/lib/oncall/queries';
import { findPerson } from '@/lib/oncall/service';

export const metadata: Metadata = { title: 'Profile' };

type Props = { searchParams: Promise<{ user?: string }> };

/** Your contact methods (how pages reach you); admins open anyone's with ?user=<e-mail>. */
export default async function ProfilePage({ searchParams }: Props) {
  const actor = await requireUser('read');
  const { user: wanted } = await searchParams;
  const other = wanted && wanted !== actor.email;
  if (other && !can(actor, 'users.manage')) return <Forbidden what="Only admins manage other people’s contact methods." />;
  const person = other ? await findPerson(wanted, actor).catch(() => null) : { id: actor.id, email: actor.email, name: actor.name };
  if (!person) return <Forbidden what={`No user is ${wanted}.`} />;
  const methods = await listContactMethods(person.id);
  const canManage = can(actor, 'incidents.work');
  return (
    <div className="space-y-4">
      <Card title={other ? `Contact methods of ${person.name}` : 'How pages reach you'}>
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          When {other ? person.name : 'you'} {other ? 'is' : 'are'} paged, every contact method is used, each after its delay (e.g. ntfy at once, e-mail after 2 minutes), until someone acknowledges. Targets are
          stored encrypted; only a hint is shown.
        </p>
        {canManage ? (
          <ContactMethods methods={methods} person={other ? person.email : 'me'} whose={other ? person.name : 'you'} />
        ) : (
          <p className="text-sm text-zinc-500">Viewers are not paged; ask an admin for the responder role to set up contact methods.</p>
        )}
      </Card>
      {!other && canManage ? (
        <Card title="Your shifts in your calendar">
          <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">A secret iCalendar URL with every shift you have, in every schedule, for Google Calendar, Outlook or Apple Calendar.</p>
          <CalendarFeedButton label="Show my calendar URL" />
        </Card>
      ) : null}
    </div>
  );
}
