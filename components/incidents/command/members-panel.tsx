'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { addMemberAction, removeMemberAction } from '@/lib/incidents/actions';
import type { MemberDto } from '@/lib/incidents/schema';
import { memberReasonLabels } from '@/lib/incidents/vocabulary';

type Person = { email: string; name: string };
type Props = { number: number; members: MemberDto[]; people: Person[]; canWrite: boolean };

/**
 * Who may see a private incident, and why. Role holders and experts are members while they hold
 * the role; people added stay until they are removed here.
 */
export function MembersPanel({ number, members, people, canWrite }: Props) {
  const { run, pending, error, done } = useServerAction();
  const [choice, setChoice] = useState('');
  const candidates = people.filter((person) => !members.some((member) => member.email === person.email));
  return (
    <div className="space-y-2">
      <p className="text-xs text-zinc-500">Only these people and admins can see this incident. Giving someone a role or an expert seat makes them a member too.</p>
      <ul aria-label="Members" className="space-y-1">
        {members.map((member) => (
          <li key={member.email} className="flex items-start justify-between gap-2 text-sm">
            <span className="min-w-0">
              <span className="font-medium">{member.name}</span>
              <span className="block text-xs text-zinc-500">
                {member.reasons.map((reason) => (reason === 'added' && member.addedBy ? `added by ${member.addedBy.name}` : memberReasonLabels[reason])).join(' · ')}
              </span>
            </span>
            {canWrite && member.reasons.includes('added') ? (
              <button
                type="button"
                disabled={pending}
                className="shrink-0 text-xs text-zinc-500 hover:text-red-600"
                aria-label={`Remove ${member.name} as a member`}
                onClick={() => run(() => removeMemberAction(null, { number, email: member.email }))}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form
          className="flex gap-1.5"
          aria-label="Add a member"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) run(() => addMemberAction(null, { number, email: choice }), () => setChoice(''));
          }}
        >
          <label className="sr-only" htmlFor="member-select">
            Add a member
          </label>
          <select id="member-select" value={choice} onChange={(e) => setChoice(e.target.value)} className={`${inputClasses} py-0.5 text-xs`}>
            <option value="">Add a member…</option>
            {candidates.map((person) => (
              <option key={person.email} value={person.email}>
                {person.name}
              </option>
            ))}
          </select>
          <Button type="submit" variant="secondary" className="shrink-0 whitespace-nowrap px-2 py-0.5 text-xs" disabled={pending || !choice}>
            Add
          </Button>
        </form>
      ) : null}
      <FormOutcome error={error} done={done} className="text-xs" />
    </div>
  );
}
