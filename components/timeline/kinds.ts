import type { TimelineKind } from '@/lib/timeline/schema';

export const kindLabels: Record<TimelineKind, string> = {
  note: 'Note',
  status: 'Status',
  severity: 'Severity',
  role: 'Role',
  checklist: 'Checklist',
  remediation: 'Remediation',
  communication: 'Update',
  postmortem: 'Review',
  page: 'Page',
  alert: 'Alert',
  system: 'System',
};

export const kindClasses: Record<TimelineKind, string> = {
  note: 'text-zinc-600 bg-zinc-100 dark:text-zinc-300 dark:bg-zinc-800',
  status: 'text-sky-700 bg-sky-50 dark:text-sky-300 dark:bg-sky-950',
  severity: 'text-red-700 bg-red-50 dark:text-red-300 dark:bg-red-950',
  role: 'text-violet-700 bg-violet-50 dark:text-violet-300 dark:bg-violet-950',
  checklist: 'text-emerald-700 bg-emerald-50 dark:text-emerald-300 dark:bg-emerald-950',
  remediation: 'text-amber-800 bg-amber-50 dark:text-amber-300 dark:bg-amber-950',
  communication: 'text-teal-700 bg-teal-50 dark:text-teal-300 dark:bg-teal-950',
  postmortem: 'text-indigo-700 bg-indigo-50 dark:text-indigo-300 dark:bg-indigo-950',
  page: 'text-rose-700 bg-rose-50 dark:text-rose-300 dark:bg-rose-950',
  alert: 'text-orange-700 bg-orange-50 dark:text-orange-300 dark:bg-orange-950',
  system: 'text-zinc-500 bg-zinc-50 dark:text-zinc-400 dark:bg-zinc-900',
};

/** Kinds whose events change what the page shows outside the timeline (header, roles, times). */
export const structuralKinds: readonly TimelineKind[] = ['status', 'severity', 'role', 'system', 'checklist', 'remediation', 'communication', 'alert'];
