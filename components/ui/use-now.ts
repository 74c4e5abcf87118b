'use client';

import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs`, for durations that must keep ticking. */
export function useNow(intervalMs = 30_000, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
