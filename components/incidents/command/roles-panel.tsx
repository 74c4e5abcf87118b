'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { personOption, SearchPicker, type PickerOption } from '@/components/ui/search-picker';
import { useNow } from '@/components/ui/use-now';
import { formatClock, formatDuration } from '@/lib/platform/time';
import { addSmeAction, assignRoleAction, removeSmeAction, unassignRoleAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';
import { incidentRoles, roleLabels, type IncidentRole } from '@/lib/incidents/vocabulary';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import type { RoleHistoryEntry, RoleHolding } from '@/lib/incidents/queries';
import { useServerAction } from '@/components/ui/use-server-action';

type Props = { incident: IncidentDto; roles: RoleHolding[]; history: RoleHistoryEntry[]; canWrite: boolean };

/** Who can hold a role or an expert seat: people who can work incidents. */
const workers = '/api/v1/people?can=work';

function RoleRow({ incident, holding, canWrite, now, apply }: { incident: IncidentDto; holding: RoleHolding; canWrite: boolean; now: number; apply: (next: IncidentDto) => void }) {
  const { run, pending, error } = useServerAction<IncidentDto>();
  const [choice, setChoice] = useState<PickerOption | null>(null);
  const label = roleLabels[holding.role];
  const primary = holding.role === 'commander' || holding.role === 'tech_lead' || holding.role === 'comms_lead';
  return (
    <li className="py-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</span>
        {holding.since ? <span suppressHydrationWarning className="text-xs text-zinc-500">for {formatDuration(now - new Date(holding.since).getTime())}</span> : null}
      </div>
      <div className="mt-0.5 flex items-center justify-between gap-2">
        {holding.holder ? (
          <span className="text-sm font-medium" data-testid={`holder-${holding.role}`}>
            {holding.holder.name}
          </span>
        ) : (
          <span className={`text-sm ${primary ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`} data-testid={`holder-${holding.role}`}>
            Unfilled
          </span>
        )}
        {canWrite && holding.holder ? (
          <button
            type="button"
            disabled={pending}
            className="text-xs text-zinc-500 hover:text-red-600"
            aria-label={`Unassign ${holding.holder.name} as ${label}`}
            onClick={() => run(() => unassignRoleAction(null, { number: incident.number, version: incident.version, role: holding.role }), apply)}
          >
            Unassign
          </button>
        ) : null}
      </div>
      {canWrite ? (
        <form
          className="mt-1 flex gap-1.5"
          aria-label={holding.holder ? `Hand off ${label}` : `Assign ${label}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!choice) return;
            run(
              () => assignRoleAction(null, { number: incident.number, version: incident.version, role: holding.role as IncidentRole, email: choice.value }),
              (updated) => {
                apply(updated);
                setChoice(null);
              },
            );
          }}
        >
          <SearchPicker
            id={`role-${holding.role}`}
            shortcut={`role-${holding.role}`}
            label={holding.holder ? `Hand ${label} to` : `Assign ${label} to`}
            placeholder={holding.holder ? 'Hand off to…' : 'Assign…'}
            source={workers}
            toOption={personOption}
            exclude={holding.holder ? [holding.holder.email] : []}
            value={choice}
            onChange={setChoice}
            className="flex-1"
          />
          <Button type="submit" variant="secondary" className="shrink-0 whitespace-nowrap px-2 py-0.5 text-xs" disabled={pending || !choice}>
            {holding.holder ? 'Hand off' : 'Assign'}
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function RolesPanel({ incident: rendered, roles, history, canWrite }: Props) {
  const now = useNow(30_000);
  const { incident, apply } = useIncidentState(rendered);
  const sme = useServerAction<IncidentDto>();
  // Holders from the newest Incident (your own handoff shows at once), tenure from the page's render.
  const holdings: RoleHolding[] = incidentRoles.map((role) => {
    const holder = incident.roles[role];
    const rendered = roles.find((r) => r.role === role);
    return { role, holder, since: holder && rendered?.holder?.email === holder.email ? rendered.since : null };
  });
  const [smeChoice, setSmeChoice] = useState<PickerOption | null>(null);
  return (
    <div>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {holdings.map((holding) => (
          <RoleRow key={holding.role} incident={incident} holding={holding} canWrite={canWrite} now={now} apply={apply} />
        ))}
      </ul>
      <div className="mt-2 border-t border-zinc-100 pt-2 dark:border-zinc-800">
        <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">Subject-matter experts</div>
        {incident.smes.length === 0 ? <p className="mt-1 text-sm text-zinc-500">None yet.</p> : null}
        <ul className="mt-1 space-y-0.5">
          {incident.smes.map((person) => (
            <li key={person.email} className="flex items-center justify-between text-sm">
              {person.name}
              {canWrite ? (
                <button
                  type="button"
                  className="text-xs text-zinc-500 hover:text-red-600"
                  aria-label={`Remove ${person.name} as a subject-matter expert`}
                  onClick={() => sme.run(() => removeSmeAction(null, { number: incident.number, email: person.email }), apply)}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {canWrite ? (
          <form
            className="mt-1 flex gap-1.5"
            aria-label="Add a subject-matter expert"
            onSubmit={(e) => {
              e.preventDefault();
              if (smeChoice)
                sme.run(
                  () => addSmeAction(null, { number: incident.number, email: smeChoice.value }),
                  (updated) => {
                    apply(updated);
                    setSmeChoice(null);
                  },
                );
            }}
          >
            <SearchPicker
              id="sme-select"
              label="Add a subject-matter expert"
              placeholder="Add an expert…"
              source={workers}
              toOption={personOption}
              exclude={incident.smes.map((person) => person.email)}
              value={smeChoice}
              onChange={setSmeChoice}
              className="flex-1"
            />
            <Button type="submit" variant="secondary" className="shrink-0 whitespace-nowrap px-2 py-0.5 text-xs" disabled={sme.pending || !smeChoice}>
              Add
            </Button>
          </form>
        ) : null}
        {sme.error ? <p role="alert" className="mt-1 text-xs text-red-600">{sme.error}</p> : null}
      </div>
      {history.length ? (
        <details className="mt-2 border-t border-zinc-100 pt-2 text-xs dark:border-zinc-800">
          <summary className="cursor-pointer text-zinc-500">Role history ({history.length})</summary>
          <ol className="mt-1 space-y-0.5 text-zinc-600 dark:text-zinc-400">
            {history.map((entry) => (
              <li key={`${entry.role}-${entry.since}`}>
                {entry.holder.name} was {roleLabels[entry.role as IncidentRole] ?? entry.role} for {formatDuration(new Date(entry.until).getTime() - new Date(entry.since).getTime())}
                <span className="text-zinc-400"> · until {formatClock(entry.until)}</span>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
