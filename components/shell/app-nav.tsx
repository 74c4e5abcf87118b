'use client';

import Link, { useLinkStatus } from 'next/link';
import { usePathname } from 'next/navigation';

export type NavItem = { href: string; label: string };

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * A tab's label, pulsing while the page it opens is on its way: pages render in one piece (no
 * loading skeleton in between, so the first paint is the page itself), and this is the sign that
 * the click was taken.
 */
function TabLabel({ children }: { children: string }) {
  const { pending } = useLinkStatus();
  return <span className={pending ? 'animate-pulse text-sky-700 motion-reduce:animate-none dark:text-sky-400' : undefined}>{children}</span>;
}

export function AppNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    // On a phone the tabs wrap onto a second line rather than scroll: every one stays in reach.
    <nav aria-label="Main" className="-mb-px flex flex-wrap gap-x-0.5 sm:flex-nowrap sm:gap-1 sm:overflow-x-auto">
      {items.map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={`whitespace-nowrap border-b-2 px-2 py-1.5 text-sm font-medium sm:px-2.5 sm:py-2.5 ${
              active
                ? 'border-sky-500 text-zinc-900 dark:text-white'
                : 'border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200'
            }`}
          >
            <TabLabel>{item.label}</TabLabel>
          </Link>
        );
      })}
    </nav>
  );
}
