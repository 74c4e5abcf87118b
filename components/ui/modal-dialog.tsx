'use client';
// The shell every modal shares: a native <dialog> opened with showModal() (the browser traps
// focus, closes on Escape and draws the backdrop), its width, and the title row with a Close
// button. What is inside (usually one form) is the caller's.
import type { ReactNode, Ref } from 'react';

const WIDTHS = {
  sm: 'w-[min(32rem,calc(100vw-1.5rem))]',
  md: 'w-[min(36rem,calc(100vw-1.5rem))]',
  lg: 'w-[min(40rem,calc(100vw-1.5rem))]',
} as const;

export function ModalDialog({
  ref,
  titleId,
  width = 'md',
  onClose,
  children,
}: {
  ref: Ref<HTMLDialogElement>;
  /** The id of the DialogTitle inside: the dialog's accessible name. */
  titleId: string;
  width?: keyof typeof WIDTHS;
  onClose?: () => void;
  children: ReactNode;
}) {
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className={`m-auto ${WIDTHS[width]} rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      {children}
    </dialog>
  );
}

/** The dialog's heading and its ✕ (named "Close"). */
export function DialogTitle({ id, onClose, children }: { id: string; onClose: () => void; children: ReactNode }) {
  return (
    <div className="flex items-center justify-between">
      <h2 id={id} className="text-base font-semibold">
        {children}
      </h2>
      <button type="button" aria-label="Close" onClick={onClose} className="rounded px-2 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800">
        ✕
      </button>
    </div>
  );
}
