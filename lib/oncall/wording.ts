// How on-call things are named in text people read: timeline events, page lists, subjects.
import { pageSubject, renderContactTest } from '@/lib/oncall/messages';
import type { ContactKind } from '@/lib/oncall/schema';
import { incidentKey } from '@/lib/incidents/schema';

export const kindShortNames: Record<ContactKind, string> = {
  email: 'e-mail',
  ntfy: 'ntfy',
  slack: 'Slack',
  teams: 'Teams',
  mattermost: 'Mattermost',
  webhook: 'webhook',
};

/** "2 min", "90 s", "1 h 5 min": a contact method's delay. */
export function delayText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 60 !== 0) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** "e-mail at once", "ntfy after 2 min". */
export function kindPhrase(kind: ContactKind | string, delaySeconds: number): string {
  const label = kindShortNames[kind as ContactKind] ?? kind;
  return delaySeconds > 0 ? `${label} after ${delayText(delaySeconds)}` : `${label} at once`;
}

/** The stored subject of a notification: the page's ("[Page, level 2] INC-42 …"), or the test's. */
export function contactSubject(page?: { title: string; level: number; incident: { number: number } | null }): string {
  if (!page) return renderContactTest('email', { user: { email: '' }, settingsUrl: '' }).subject;
  const incident = page.incident ? { number: page.incident.number, key: incidentKey(page.incident.number) } : null;
  return pageSubject({ page: { id: '', title: page.title, level: page.level, incident }, user: { email: '' }, ackUrl: '' });
}
