'use client';

import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const order: Theme[] = ['system', 'light', 'dark'];
const labels: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
const icons: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

function apply(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');

  useEffect(() => {
    const stored = localStorage.getItem('sitrep-theme');
    // Reading the stored choice needs the browser, so it happens after hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (stored === 'light' || stored === 'dark') setTheme(stored);
    const media = matchMedia('(prefers-color-scheme: dark)');
    const follow = () => apply((localStorage.getItem('sitrep-theme') as Theme | null) ?? 'system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);

  function cycle() {
    const next = order[(order.indexOf(theme) + 1) % order.length]!;
    if (next === 'system') localStorage.removeItem('sitrep-theme');
    else localStorage.setItem('sitrep-theme', next);
    setTheme(next);
    apply(next);
  }

  return (
    <button
      type="button"
      onClick={cycle}
      aria-label={`${labels[theme]} (change)`}
      title={labels[theme]}
      className="rounded-md px-2 py-1 text-base text-zinc-600 hover:bg-zinc-200/70 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <span aria-hidden="true">{icons[theme]}</span>
    </button>
  );
}
