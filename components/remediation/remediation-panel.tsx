'use client';

import { useState } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { fireRemediationAction, resendDeliveryAction } from '@/lib/remediation/actions';
import type { ActionDto, DeliveryDto } from '@/lib/remediation/schema';
import type { RankedAction } from '@/lib/remediation/relevance';

type Props = { number: number; actions: ActionDto[]; ranked?: { linked: RankedAction[]; other: ActionDto[] }; deliveries: DeliveryDto[]; canFire: boolean };

const chip: Record<DeliveryDto['status'], string> = {
  pending: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  retrying: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  succeeded: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

/** Parameters and, where the action needs it, the typed confirmation; then fires. */
export function FireForm({ number, action, checklistItemId, onDone }: { number: number; action: ActionDto; checklistItemId?: string; onDone: () => void }) {
  const { run, pending, error } = useServerAction();
  const [values, setValues] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState('');
  return (
    <form
      aria-label={`Run ${action.name}`}
      className="mt-1.5 space-y-1.5 rounded-md bg-zinc-50 p-2 dark:bg-zinc-800/50"
      onSubmit={(e) => {
        e.preventDefault();
        const parameters = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
        run(() => fireRemediationAction(null, { number, actionId: action.id, confirm: action.requiresConfirmation ? typed.trim() === action.name : undefined, parameters, checklistItemId }), onDone);
      }}
    >
      {action.parameters.map((p) => (
        <label key={p.name} className="block text-xs text-zinc-600 dark:text-zinc-400">
          {p.name}
          {p.required ? ' (required)' : ''} · {p.type}
          <input value={values[p.name] ?? ''} onChange={(e) => setValues((all) => ({ ...all, [p.name]: e.target.value }))} className={`${inputClasses} mt-0.5 py-0.5 text-xs`} placeholder={p.description} />
        </label>
      ))}
      {action.requiresConfirmation ? (
        <ConfirmField name={action.name} typed={typed} setTyped={setTyped} />
      ) : null}
      <div className="flex gap-1.5">
        <Button type="submit" variant="alert" className="px-2 py-0.5 text-xs" disabled={pending || (action.requiresConfirmation && typed.trim() !== action.name)}>
          {pending ? 'Sending…' : `Run ${action.name}`}
        </Button>
        <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {error ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </form>
  );
}

function ConfirmField({ name, typed, setTyped }: { name: string; typed: string; setTyped: (value: string) => void }) {
  return (
    <label className="block text-xs text-zinc-600 dark:text-zinc-400">
      Type “{name}” to confirm
      <input value={typed} onChange={(e) => setTyped(e.target.value)} className={`${inputClasses} mt-0.5 py-0.5 text-xs`} autoFocus autoComplete="off" />
    </label>
  );
}

/** "Re-send": a new delivery with the same parameters, confirmed again where the action needs it. */
function ResendButton({ delivery, action }: { delivery: DeliveryDto; action: ActionDto | undefined }) {
  const { run, pending, error } = useServerAction();
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  if (!action || action.disabled) return null;
  const send = (confirm?: boolean) => run(() => resendDeliveryAction(null, { deliveryId: delivery.id, confirm }), () => setAsking(false));
  return (
    <span className="w-full">
      {asking ? (
        <form
          aria-label={`Re-send ${action.name}`}
          className="mt-1 flex items-end gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            send(typed.trim() === action.name);
          }}
        >
          <ConfirmField name={action.name} typed={typed} setTyped={setTyped} />
          <Button type="submit" variant="alert" className="px-2 py-0.5 text-xs" disabled={pending || typed.trim() !== action.name}>
            Re-send
          </Button>
          <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <button
          type="button"
          className="text-xs text-sky-700 hover:underline disabled:opacity-50 dark:text-sky-400"
          disabled={pending}
          aria-label={`Re-send ${action.name}`}
          onClick={() => (action.requiresConfirmation ? setAsking(true) : send())}
        >
          Re-send
        </button>
      )}
      {error ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </span>
  );
}

function ActionRow({ number, action, reasons, open, setOpen }: { number: number; action: ActionDto; reasons?: string[]; open: boolean; setOpen: (open: boolean) => void }) {
  return (
    <li>
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <span className="block truncate text-sm">{action.name}</span>
          {action.description ? <span className="block text-xs text-zinc-600 dark:text-zinc-400">{action.description}</span> : null}
          {reasons?.length ? <span className="block text-[11px] text-zinc-500">for {reasons.join(', ')}</span> : null}
        </div>
        {action.disabled ? (
          <span className="text-[11px] text-red-700 dark:text-red-400">disabled: {action.disabled.reason}</span>
        ) : (
          <Button variant="secondary" className="px-2 py-0.5 text-xs" aria-label={`Run ${action.name}…`} onClick={() => setOpen(!open)}>
            Run…
          </Button>
        )}
      </div>
      {open ? <FireForm number={number} action={action} onDone={() => setOpen(false)} /> : null}
    </li>
  );
}

/**
 * Remediation actions for this incident, the ones linked to it (its runbook steps, services,
 * runbooks' tags) first with why, and the deliveries fired so far with their live status.
 */
export function RemediationPanel({ number, actions, ranked, deliveries, canFire }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const linked = ranked?.linked ?? [];
  const other = ranked ? ranked.other : actions;
  const row = (action: ActionDto, reasons?: string[]) => (
    <ActionRow key={action.id} number={number} action={action} reasons={reasons} open={open === action.id} setOpen={(next) => setOpen(next ? action.id : null)} />
  );
  return (
    <div className="space-y-3">
      {canFire && linked.length ? (
        <section aria-label="Actions for this incident">
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">For this incident</h3>
          <ul className="space-y-1.5">{linked.map(({ action, reasons }) => row(action, reasons))}</ul>
        </section>
      ) : null}
      {canFire && other.length ? (
        <section aria-label={linked.length ? 'Other actions' : 'Actions'}>
          {linked.length ? <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">Other actions</h3> : null}
          <ul className="space-y-1.5">{other.map((action) => row(action))}</ul>
        </section>
      ) : null}
      {deliveries.length ? (
        <ol aria-label="Deliveries" className="space-y-1 border-t border-zinc-100 pt-2 dark:border-zinc-800">
          {deliveries.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-x-2 text-xs" aria-label={`${d.action.name}: ${d.status}`}>
              <span className={`rounded px-1.5 py-0.5 font-medium ${chip[d.status]}`}>{d.status}</span>
              <span className="min-w-0 flex-1 truncate">{d.action.name}</span>
              <span className="text-zinc-500">
                {d.attempts.length} attempt{d.attempts.length === 1 ? '' : 's'}
                {d.attempts.at(-1) ? ` · last ${d.attempts.at(-1)!.statusCode ?? d.attempts.at(-1)!.error}` : ''}
              </span>
              {canFire && (d.status === 'succeeded' || d.status === 'failed') ? <ResendButton delivery={d} action={actions.find((a) => a.id === d.actionId)} /> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
