'use client';

import { useEffect, useRef, useState } from 'react';

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const initials = name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account menu for ${name}`}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-md px-1.5 py-1 hover:bg-zinc-200/70 dark:hover:bg-zinc-800"
      >
        <span aria-hidden="true" className="grid size-7 place-items-center rounded-full bg-sky-700 text-xs font-semibold text-white">
          {initials}
        </span>
        <span className="hidden text-sm xl:inline">{name}</span>
      </button>
      {open ? (
        <div role="menu" className="absolute right-0 z-20 mt-1 w-60 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <div className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400">
            <div className="truncate font-medium text-zinc-900 dark:text-zinc-100">{email}</div>
            <div>Role: {role}</div>
          </div>
          <button
            type="button"
            role="menuitem"
            // next-auth's client loads when someone signs out, not with every page (about 10 KB gzipped).
            onClick={() => void import('next-auth/react').then(({ signOut }) => signOut({ callbackUrl: '/login' }))}
            className="block w-full rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
