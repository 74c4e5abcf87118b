import Link from 'next/link';
import type { ReactNode } from 'react';
import { DeclareIncident } from '@/components/incidents/declare-dialog';
import { OnCallLine } from '@/components/oncall/on-call-line';
import { myOnCallNow } from '@/lib/oncall/queries';
import { AppNav, type NavItem } from '@/components/shell/app-nav';
import { CommandPalette } from '@/components/shell/command-palette';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { UserMenu } from '@/components/shell/user-menu';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSeverities } from '@/lib/severities/queries';

// Capabilities join the navigation as they land.
const navItems: NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/pages', label: 'Pages' },
  { href: '/oncall', label: 'On-call' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/runbooks', label: 'Runbooks' },
  { href: '/insights', label: 'Insights' },
  { href: '/settings', label: 'Settings' },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser('read');
  const canDeclare = can(actor, 'incidents.work');
  // Who is on call is read beside the rest, for the header's "You are on call until …".
  const onCallNow = myOnCallNow(actor);
  const severities = canDeclare ? await listSeverities() : [];
  const onCall = await onCallNow;
  return (
    <div className="min-h-dvh">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:text-sm dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <header className="no-print sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 px-3 sm:flex-nowrap sm:px-6">
          <Link href="/" className="flex shrink-0 items-center gap-2 py-2" aria-label="Sitrep home">
            <span aria-hidden="true" className="grid size-6 place-items-center rounded bg-red-600 text-xs font-bold text-white">
              S
            </span>
            <span className="hidden text-sm font-semibold sm:inline">Sitrep</span>
          </Link>
          <div className="order-last w-full min-w-0 sm:order-none sm:w-auto sm:flex-1">
            <AppNav items={navItems} />
          </div>
          <div className="ml-auto flex shrink-0 items-center gap-1 sm:ml-0">
            <OnCallLine mine={onCall} />
            {canDeclare ? <DeclareIncident severities={severities} me={{ email: actor.email, name: actor.name }} /> : null}
            <ThemeToggle />
            <UserMenu name={actor.name} email={actor.email} role={actor.role} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-3 py-5 sm:px-6">
        {children}
      </main>
      <CommandPalette nav={navItems} canWork={canDeclare} />
    </div>
  );
}
