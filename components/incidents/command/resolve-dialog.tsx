'use client';
// The dialog that resolves an incident with its resolution update. It loads when someone first
// chooses "resolved…" (or points at the status menu), not with the command view.

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { draftUpdateAction } from '@/lib/communications/actions';
import type { Audience } from '@/lib/communications/schema';
import { updateIncidentAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';
import { DialogTitle, ModalDialog } from '@/components/ui/modal-dialog';

/**
 * "Resolve INC-42": the reason and the resolution update, filled in from the template and posted
 * with the change in one transaction, so the status page never keeps saying "Investigating…"
 * after the incident is over.
 */
export function ResolveDialog({ hasPublicUpdates, onClose }: { hasPublicUpdates: boolean; onClose: () => void }) {
  const { incident, apply } = useIncidentState();
  const resolve = useServerAction<IncidentDto>();
  const draft = useServerAction<{ body: string; audience: Audience }>();
  const [reason, setReason] = useState('');
  // Customers heard about it (or are affected): they hear it is over; otherwise the team does.
  const [audience, setAudience] = useState<Audience>(!incident.private && (hasPublicUpdates || incident.customerImpact) ? 'public' : 'internal');
  const [post, setPost] = useState(true);
  const [body, setBody] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const asked = useRef(false);

  // Opens as a modal once mounted and asks the server for the resolution template's words.
  const attach = (node: HTMLDialogElement | null) => {
    dialog.current = node;
    if (!node || asked.current) return;
    asked.current = true;
    if (!node.open) node.showModal();
    // showModal focuses the first control, the title's Close button; the reason is where to type.
    node.querySelector('input')?.focus();
    draft.run(() => draftUpdateAction(null, { number: incident.number, template: 'resolved', resolving: true }), (data) => setBody((current) => current || data.body));
  };

  const close = () => {
    dialog.current?.close();
    onClose();
  };

  return (
    <ModalDialog ref={attach} titleId="resolve-title" onClose={onClose}>
      <form
        className="space-y-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          resolve.run(
            () =>
              updateIncidentAction(null, {
                number: incident.number,
                version: incident.version,
                status: 'resolved',
                reason: reason || undefined,
                update: post ? { audience, body } : undefined,
              }),
            (updated) => {
              apply(updated);
              close();
            },
          );
        }}
      >
        <DialogTitle id="resolve-title" onClose={close}>
          Resolve {incident.key}
        </DialogTitle>
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          What resolved it? (optional)
          <input value={reason} onChange={(e) => setReason(e.target.value)} className={`${inputClasses} mt-1`} placeholder="Rolled back to 2.13; error rate back to 0.1%" autoFocus />
        </label>
        <fieldset className="space-y-2 rounded-md border border-zinc-200 p-2.5 dark:border-zinc-700">
          <legend className="px-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Resolution update</legend>
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" checked={post} onChange={(e) => setPost(e.target.checked)} />
            Post a resolution update with it
          </label>
          {post ? (
            <>
              <div className="flex flex-wrap gap-3 text-sm" role="radiogroup" aria-label="Audience">
                <label className="inline-flex items-center gap-1">
                  <input type="radio" name="resolve-audience" checked={audience === 'public'} disabled={incident.private} onChange={() => setAudience('public')} />
                  Public (status page)
                </label>
                <label className="inline-flex items-center gap-1">
                  <input type="radio" name="resolve-audience" checked={audience === 'internal'} onChange={() => setAudience('internal')} />
                  Internal
                </label>
              </div>
              <label className="sr-only" htmlFor="resolution-update">
                Resolution update text
              </label>
              <textarea
                id="resolution-update"
                value={body}
                onChange={(e) => setBody(e.target.value)}
                rows={4}
                required
                aria-invalid={Boolean(resolve.fieldErrors['update.body']) || undefined}
                placeholder={draft.pending ? 'Filling in the resolution template…' : 'What customers should know: it is over, what happened, how long.'}
                className={`${inputClasses} text-sm`}
              />
              {hasPublicUpdates && audience === 'internal' ? <p className="text-xs text-amber-700 dark:text-amber-400">The status page shows a public update for this incident; it will say only that the incident is resolved.</p> : null}
            </>
          ) : hasPublicUpdates ? (
            <p className="text-xs text-zinc-500">The status page will say that the incident is resolved.</p>
          ) : null}
        </fieldset>
        <FormOutcome error={resolve.error ?? draft.error} done={null} />
        <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={resolve.pending || (post && !body.trim())}>
            {resolve.pending ? 'Resolving…' : post ? `Resolve and post ${audience === 'public' ? 'to the status page' : 'to the team'}` : 'Resolve'}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}
