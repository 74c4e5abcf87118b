'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormOutcome } from '@/components/ui/form-outcome';
import { personOption, SearchPicker, type PickerOption } from '@/components/ui/search-picker';
import { useServerAction } from '@/components/ui/use-server-action';
import { addMemberAction, removeMemberAction } from '@/lib/incidents/actions';
import type { MemberDto } from '@/lib/incidents/schema';
import { memberReasonLabels } from '@/lib/incidents/vocabulary';

type Props = { number: number; members: MemberDto[]; canWrite: boolean };

/**
 * Who may see a private incident, and why. Role holders and experts are members while they hold
 * the role; people added stay until they are removed here.
 */
export function MembersPanel({ number, members, canWrite }: Props) {
  const { run, pending, error, done } = useServerAction();
  const [choice, setChoice] = useState<PickerOption | null>(null);
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
            if (choice) run(() => addMemberAction(null, { number, email: choice.value }), () => setChoice(null));
          }}
        >
          {/* Anyone active, viewers too: membership is about seeing the incident, not working it. */}
          <SearchPicker
            id="member-select"
            label="Add a member"
            placeholder="Add a member…"
            source="/api/v1/people"
            toOption={personOption}
            exclude={members.map((member) => member.email)}
            value={choice}
            onChange={setChoice}
            className="flex-1"
          />
          <Button type="submit" variant="secondary" className="shrink-0 whitespace-nowrap px-2 py-0.5 text-xs" disabled={pending || !choice}>
            Add
          </Button>
        </form>
      ) : null}
      <FormOutcome error={error} done={done} className="text-xs" />
    </div>
  );
}
