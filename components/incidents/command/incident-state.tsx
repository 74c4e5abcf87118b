'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { IncidentDto } from '@/lib/incidents/schema';

type IncidentState = {
  /** The newest incident this page has seen: the server's render or an action's answer, whichever has the higher version. */
  incident: IncidentDto;
  /** Takes an action's answer (or a fetched Incident) in, if it is newer than what is shown. */
  apply: (next: IncidentDto) => void;
};

const Context = createContext<IncidentState | null>(null);

/**
 * The command view's one source for the incident's header, rail and controls. Your own change
 * shows the moment its action answers (the answer carries the new Incident); a teammate's comes
 * with the live stream a moment later. Versions only grow, so an older render arriving late
 * (a refresh started before your change) can never put the old status back on screen.
 */
export function IncidentStateProvider({ incident, children }: { incident: IncidentDto; children: ReactNode }) {
  const [answered, setAnswered] = useState<IncidentDto | null>(null);
  const apply = useCallback((next: IncidentDto) => setAnswered((previous) => (!previous || next.version >= previous.version ? next : previous)), []);
  const current = answered && answered.number === incident.number && answered.version > incident.version ? answered : incident;
  const value = useMemo(() => ({ incident: current, apply }), [current, apply]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The incident as the command view shows it now, and how to take an action's answer in. */
export function useIncidentState(fallback?: IncidentDto): IncidentState {
  const state = useContext(Context);
  if (state) return state;
  if (!fallback) throw new Error('useIncidentState needs an IncidentStateProvider or a fallback incident');
  return { incident: fallback, apply: () => undefined };
}
