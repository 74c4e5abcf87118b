import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppNav, type NavItem } from '@/components/shell/app-nav';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { UserMenu } from '@/components/shell/user-menu';
import { requireUser } from '@/lib/auth/session';

// Capabilities join the navigation as they land (incidents, runbooks…).
const navItems: NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/settings', label: 'Settings' },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser('read');
  return (
    <div className="min-h-dvh">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:text-sm dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex max-w-7xl items-center gap-4 px-3 sm:px-6">
          <Link href="/" className="flex shrink-0 items-center gap-2 py-2" aria-label="Sitrep home">
            <span aria-hidden="true" className="grid size-6 place-items-center rounded bg-red-600 text-xs font-bold text-white">
              S
            </span>
            <span className="hidden text-sm font-semibold sm:inline">Sitrep</span>
          </Link>
          <div className="min-w-0 flex-1">
            <AppNav items={navItems} />
          </div>
          <div className="flex shrink-0 items-center gap-1">
            <ThemeToggle />
            <UserMenu name={actor.name} email={actor.email} role={actor.role} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-3 py-5 sm:px-6">
        {children}
      </main>
    </div>
  );
}
