'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

// Where each channel streams from, and the event that means "something changed".
const streams = {
  dashboard: { url: '/api/v1/stream', event: 'incident' },
  alerts: { url: '/api/v1/alerts/stream', event: 'alerts' },
} as const;

type Props = {
  /** `dashboard`: any incident change anywhere; `alerts`: alerts stored or changed anywhere. */
  channel: keyof typeof streams;
  /** Refresh at most this often while changes keep coming. */
  throttleMs?: number;
};

// Keeps a server-rendered page current: subscribes to the dashboard stream and re-renders the
// page on the server (router.refresh) when something changed, throttled so a burst of notes
// costs one refresh.
export function LiveRefresh({ channel, throttleMs = 750 }: Props) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource(streams[channel].url);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const refresh = () => {
      if (timer) return;
      const wait = Math.max(0, last + throttleMs - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        router.refresh();
      }, wait);
    };
    source.addEventListener(streams[channel].event, refresh);
    source.addEventListener('resync', refresh);
    // After a dropped connection the page may have missed changes.
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) refresh();
      opened = true;
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [channel, router, throttleMs]);
  return null;
}
