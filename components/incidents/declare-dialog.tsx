'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { isTyping } from '@/components/shell/keyboard';
import { Button } from '@/components/ui/button';
import { LoadFailed, loadOnUse, useLoadOnUse } from '@/components/ui/load-on-use';
import type { DeclareProps } from '@/components/incidents/declare-form';

// The form (its pickers, duplicate check and related incidents) is about 6 KB gzipped that every
// page would carry in the header: it loads when the button is pointed at or focused, or on the
// first open, whichever comes first.
const loadForm = loadOnUse(() => import('@/components/incidents/declare-form').then((module) => module.DeclareForm));

/** "Declare incident": a button in the header and the `d` key anywhere outside a text field. */
export function DeclareIncident({ severities, me }: DeclareProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useLoadOnUse(loadForm);
  const DeclareForm = form.loaded;
  // How many times it was asked to open: the form is mounted afresh (and opens itself) for each.
  const [opened, setOpened] = useState(0);
  const { load: loadAndShow, preload } = form;
  const open = useCallback(() => {
    setOpened((count) => count + 1);
    loadAndShow();
  }, [loadAndShow]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'd' || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target) || dialog.current?.open) return;
      event.preventDefault();
      open();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    // The message hangs below the button, so the header keeps its layout at any width.
    <span className="relative">
      <Button
        variant="alert"
        onClick={open}
        onPointerEnter={preload}
        onFocus={preload}
        data-shortcut="declare"
        aria-keyshortcuts="d"
        aria-label="Declare incident"
        aria-describedby={form.failed ? 'declare-load-failed' : undefined}
        title="Declare an incident (d)"
      >
        <span aria-hidden="true">+</span>
        <span aria-hidden="true" className="hidden xl:inline">Declare incident</span>
      </Button>
      {form.failed ? <LoadFailed id="declare-load-failed" what="The form" /> : null}
      {DeclareForm && opened > 0 ? <DeclareForm key={opened} severities={severities} me={me} dialog={dialog} /> : null}
    </span>
  );
}
