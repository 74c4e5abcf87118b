'use client';

import Link from 'next/link';
import { useCallback, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { LoadFailed, loadOnUse, useLoadOnUse } from '@/components/ui/load-on-use';
import type { PageDto } from '@/lib/oncall/schema';

// The form (page-form.tsx) loads when the button is pointed at, focused or pressed.
const loadForm = loadOnUse(() => import('@/components/oncall/page-form').then((module) => module.PageForm));

/**
 * "Page…": a person, whoever is on call in a schedule, or an escalation policy, with a message
 * (page-form.tsx). From an incident (`incidentNumber`) the page carries its title; without one it
 * needs a title of its own. Once paged, says how many notifications are on the way.
 */
export function PageDialog({ incidentNumber, buttonLabel = 'Page…' }: { incidentNumber?: number; buttonLabel?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useLoadOnUse(loadForm);
  const PageForm = form.loaded;
  // How many times it was opened: the form is mounted afresh (and opens itself) for each.
  const [opened, setOpened] = useState(0);
  const [paged, setPaged] = useState<PageDto | null>(null);
  const { load, preload } = form;
  const open = useCallback(() => {
    setPaged(null);
    setOpened((count) => count + 1);
    load();
  }, [load]);
  const failedId = incidentNumber ? `page-${incidentNumber}-load-failed` : 'page-new-load-failed';

  return (
    <>
      <span className="relative">
        <Button variant="secondary" onClick={open} onPointerEnter={preload} onFocus={preload} aria-haspopup="dialog" aria-describedby={form.failed ? failedId : undefined} data-shortcut="page">
          {buttonLabel}
        </Button>
        {form.failed ? <LoadFailed id={failedId} what="The form" /> : null}
      </span>
      {paged ? (
        <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          Paged: <Link href={`/pages?page=${paged.id}`} className="underline">{paged.notifications.length} notification{paged.notifications.length === 1 ? '' : 's'} on the way</Link>
          {paged.gaps.length ? ` · ${paged.gaps.map((gap) => gap.reason).join('; ')}` : ''}
        </p>
      ) : null}
      {PageForm && opened > 0 ? <PageForm key={opened} incidentNumber={incidentNumber} dialog={dialog} onPaged={setPaged} /> : null}
    </>
  );
}
