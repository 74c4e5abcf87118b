'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Keeps /pages current: follows the pages' stream (GET /api/v1/pages/stream) and re-renders the
 * page on the server when one changed, at most every `throttleMs`, and after a reconnect.
 */
export function PagesLive({ throttleMs = 500 }: { throttleMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource('/api/v1/pages/stream');
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        router.refresh();
      }, Math.max(0, last + throttleMs - Date.now()));
    };
    source.addEventListener('page', refresh);
    source.addEventListener('resync', refresh);
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) refresh();
      opened = true;
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [router, throttleMs]);
  return null;
}
