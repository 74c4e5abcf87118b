'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Calls `onChange` when alerts change (all of them, or one incident's), throttled so a storm of
 * thousands of alerts costs a refetch a second, and after a reconnect (changes may have been
 * missed). Returns whether the stream is connected, for a "live" indicator.
 */
export function useLiveAlerts(onChange: () => void, options: { incident?: number; throttleMs?: number } = {}): boolean {
  const callback = useRef(onChange);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    callback.current = onChange;
  });
  const { incident, throttleMs = 1_000 } = options;
  useEffect(() => {
    const source = new EventSource(`/api/v1/alerts/stream${incident !== undefined ? `?incident=${incident}` : ''}`);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const changed = () => {
      if (timer) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          callback.current();
        },
        Math.max(0, last + throttleMs - Date.now()),
      );
    };
    let opened = false;
    source.addEventListener('open', () => {
      setConnected(true);
      if (opened) changed();
      opened = true;
    });
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('alerts', changed);
    source.addEventListener('resync', changed);
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [incident, throttleMs]);
  return connected;
}
