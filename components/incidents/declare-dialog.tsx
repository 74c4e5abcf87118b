'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { isTyping } from '@/components/shell/keyboard';
import { Button } from '@/components/ui/button';
import type { DeclareForm as DeclareFormComponent, DeclareProps } from '@/components/incidents/declare-form';

// The form (its pickers, duplicate check and related incidents) is about 6 KB gzipped that every
// page would carry in the header: it loads when the button is pointed at or focused, or on the
// first open, whichever comes first. Loaded by hand rather than with React.lazy: lazy keeps a
// failed load for good and throws it to the error page, where a responder on a flaky connection
// should instead be told, and get the form when they press again.
let loading: Promise<typeof DeclareFormComponent> | null = null;
function loadForm(): Promise<typeof DeclareFormComponent> {
  loading ??= import('@/components/incidents/declare-form').then(
    (module) => module.DeclareForm,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** "Declare incident": a button in the header and the `d` key anywhere outside a text field. */
export function DeclareIncident({ severities, me }: DeclareProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [DeclareForm, setDeclareForm] = useState<typeof DeclareFormComponent | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  // How many times it was asked to open: the form is mounted afresh (and opens itself) for each.
  const [opened, setOpened] = useState(0);
  const open = useCallback(() => {
    setOpened((count) => count + 1);
    loadForm().then(
      (form) => {
        setDeclareForm(() => form);
        setLoadFailed(false);
      },
      () => setLoadFailed(true),
    );
  }, []);
  const preload = useCallback(() => void loadForm().catch(() => undefined), []);

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
        aria-describedby={loadFailed ? 'declare-load-failed' : undefined}
        title="Declare an incident (d)"
      >
        <span aria-hidden="true">+</span>
        <span aria-hidden="true" className="hidden xl:inline">Declare incident</span>
      </Button>
      {loadFailed ? (
        <span
          id="declare-load-failed"
          role="alert"
          className="absolute right-0 top-full z-20 mt-1 w-56 rounded-md border border-red-300 bg-white px-2 py-1.5 text-xs text-red-700 shadow-md dark:border-red-800 dark:bg-zinc-900 dark:text-red-300"
        >
          The form did not load; check the connection and press again.
        </span>
      ) : null}
      {DeclareForm && opened > 0 ? <DeclareForm key={opened} severities={severities} me={me} dialog={dialog} /> : null}
    </span>
  );
}
