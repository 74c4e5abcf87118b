// The public status page (/status), its Atom feed (/status/feed.xml) and its JSON
// (GET /api/v1/status): everyone refreshes them during an outage, so each is rendered whole, once,
// and the request edge serves the remembered bytes (platform/http/public-cache.ts) until something
// they show changes: a public update posted, the branding saved, or any incident changed (its
// title or status may be on the page). Those changes are announced through NOTIFY, so every
// instance renders afresh; otherwise a copy lives 30 s, for the passing of time ("resolved in
// the last 7 days"). The data (incidents and branding) is read in one go, shared by concurrent
// renders.
import { createHash } from 'node:crypto';
import { getBranding } from '@/lib/communications/queries';
import { renderUpdateBody } from '@/lib/communications/update-body';
import type { Branding, PublicStatus } from '@/lib/communications/schema';
import { incidentsChannel } from '@/lib/incidents/live';
import { openStatuses, statusLabels, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { incidentKey } from '@/lib/incidents/schema';
import { db, type Tx } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';
import { invalidatePublicResponses, publicResponse } from '@/lib/platform/http/public-cache';
import { statusFrameAncestors, statusPageContentSecurityPolicy } from '@/lib/platform/http/security-headers';
import { subscribe } from '@/lib/platform/live/listener';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';
import { formatDateTime } from '@/lib/platform/time';
import { publicUrl } from '@/lib/platform/urls';

const RESOLVED_WINDOW_MS = 7 * 86_400_000;
export const STATUS_CACHE_SECONDS = 30;
const PATHS = { page: '/status', feed: '/status/feed.xml', json: '/api/v1/status' } as const;

/** Something the status page shows changed outside an incident: a public update, the branding. */
export const statusPageChannel = defineChannel<{ reason: string }>('sitrep_status_page', () => 'all');

export async function notifyStatusPage(tx: Tx, reason: string): Promise<void> {
  await notifyChannel(tx, statusPageChannel, { reason });
  forgetPublicStatus();
}

/** Said on the status page for a resolved incident whose last public word came before its resolution. */
export const RESOLVED_NOTICE = 'This incident has been resolved.';

/**
 * What the public status page shows: incidents with at least one public update (open first,
 * then those resolved in the last 7 days), each with its public updates only, newest first.
 * Nothing else about an incident leaves through here: no notes, no names, no internal updates.
 * A private incident never appears (posting a public update to one is refused; one made private
 * after its public updates drops off the page).
 * A resolved incident never reads as still being worked on: when its last public update is
 * older than the resolution (or was posted while it was open), the resolution is said first.
 * A duplicate merged into another incident is not shown: the survivor speaks for both.
 */
async function readPublicStatus(now: Date): Promise<PublicStatus> {
  const incidents = await db.incident.findMany({
    where: {
      private: false,
      statusUpdates: { some: { audience: 'public' } },
      mergedIntoId: null,
      OR: [{ status: { in: [...openStatuses] } }, { status: { in: ['resolved', 'closed'] }, resolvedAt: { gte: new Date(now.getTime() - RESOLVED_WINDOW_MS) } }],
    },
    select: {
      number: true,
      title: true,
      status: true,
      severityKey: true,
      services: true,
      startedAt: true,
      declaredAt: true,
      resolvedAt: true,
      statusUpdates: { where: { audience: 'public' }, orderBy: { postedAt: 'desc' }, select: { body: true, postedAt: true, incidentStatus: true } },
    },
  });
  const open = new Set<string>(openStatuses);
  const latest = (i: (typeof incidents)[number]) => i.statusUpdates[0]!.postedAt.getTime();
  incidents.sort((a, b) => Number(open.has(b.status)) - Number(open.has(a.status)) || latest(b) - latest(a));
  return {
    updatedAt: now.toISOString(),
    incidents: incidents.map((i) => ({
      key: incidentKey(i.number),
      title: i.title,
      status: i.status,
      severity: i.severityKey,
      services: i.services,
      startedAt: (i.startedAt ?? i.declaredAt).toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      updates: withResolution(i),
    })),
  };
}

type Row = { status: string; resolvedAt: Date | null; statusUpdates: { body: string; postedAt: Date; incidentStatus: string }[] };

function withResolution(incident: Row): PublicStatus['incidents'][number]['updates'] {
  const updates = incident.statusUpdates.map((u) => ({ body: u.body, postedAt: u.postedAt.toISOString(), status: u.incidentStatus }));
  const latest = incident.statusUpdates[0];
  const resolved = incident.status === 'resolved' || incident.status === 'closed';
  const saidSo = latest && (latest.incidentStatus === 'resolved' || latest.incidentStatus === 'closed') && (!incident.resolvedAt || latest.postedAt >= incident.resolvedAt);
  if (resolved && incident.resolvedAt && !saidSo) updates.unshift({ body: RESOLVED_NOTICE, postedAt: incident.resolvedAt.toISOString(), status: 'resolved' });
  return updates;
}

type Snapshot = { status: PublicStatus; branding: Branding };
type State = { snapshot: Promise<Snapshot> | null; generation: number; listening: Promise<unknown> | null };

const globalForStatus = globalThis as unknown as { sitrepStatusPage?: State };
const state = (globalForStatus.sitrepStatusPage ??= { snapshot: null, generation: 0, listening: null });

/** Drops the data and the rendered copies on this instance (the NOTIFY does it on the others). */
export function forgetPublicStatus(): void {
  state.snapshot = null;
  state.generation++;
  for (const path of Object.values(PATHS)) invalidatePublicResponses(path);
}

function listen(): Promise<unknown> {
  state.listening ??= Promise.all([subscribe(statusPageChannel, null, forgetPublicStatus), subscribe(incidentsChannel, null, forgetPublicStatus)]).catch(() => {
    state.listening = null;
  });
  return state.listening;
}

async function snapshot(): Promise<Snapshot> {
  await listen();
  if (!state.snapshot) {
    const generation = state.generation;
    const read = Promise.all([readPublicStatus(new Date()), getBranding()]).then(([status, branding]) => ({ status, branding }));
    state.snapshot = read;
    read.catch(() => {
      if (state.snapshot === read) state.snapshot = null;
    });
    // A change announced while reading makes this read stale: keep it for these callers only.
    void read.then(() => {
      if (state.generation !== generation && state.snapshot === read) state.snapshot = null;
    }, () => undefined);
    setTimeout(() => {
      if (state.snapshot === read) state.snapshot = null;
    }, STATUS_CACHE_SECONDS * 1000).unref();
  }
  return state.snapshot;
}

export async function getPublicStatus(): Promise<PublicStatus> {
  return (await snapshot()).status;
}

// ---- rendering ----

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// XML 1.0 forbids most control characters even escaped; drop them.
const xml = (text: string) => escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
const label = (status: string) => statusLabels[status as IncidentStatus] ?? status;

// The page's whole style: it loads nothing but its logo, and runs no script.
const STYLE = `
:root{color-scheme:light dark;--fg:#18181b;--muted:#71717a;--bg:#fafafa;--card:#fff;--line:#e4e4e7}
@media (prefers-color-scheme:dark){:root{--fg:#f4f4f5;--muted:#a1a1aa;--bg:#09090b;--card:#18181b;--line:#27272a}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
.bar{height:4px;background:var(--accent)}main{max-width:48rem;margin:0 auto;padding:2rem 1rem}
header{display:flex;align-items:center;gap:.75rem}header img{height:2rem;width:auto}h1{font-size:1.5rem;margin:0}
.banner{margin:1.5rem 0;padding:.75rem 1rem;border-radius:.5rem;font-weight:600;border:1px solid}
.ok{background:#ecfdf5;color:#064e3b;border-color:#6ee7b7}.busy{background:#fffbeb;color:#78350f;border-color:#fcd34d}
@media (prefers-color-scheme:dark){.ok{background:#022c22;color:#a7f3d0;border-color:#065f46}.busy{background:#451a03;color:#fde68a;border-color:#92400e}}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:1.5rem 0 .75rem}
article{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin-bottom:.75rem}
article header{justify-content:space-between;flex-wrap:wrap}h3{font-size:1rem;margin:0}
.state{font-size:.75rem;font-weight:600;padding:.1rem .4rem;border-radius:.25rem;background:var(--line)}
.meta{font-size:.8rem;color:var(--muted);margin:.25rem 0 0}ol{list-style:none;margin:.75rem 0 0;padding:0 0 0 .75rem;border-left:2px solid var(--line)}
li{margin-bottom:.75rem}li p{margin:0}.when{font-size:.8rem}.body p{margin:.25rem 0}.body ul,.body ol{margin:.25rem 0;padding-left:1.25rem;border:0;list-style:disc}
.body code{font-family:ui-monospace,monospace;font-size:.85em}.body pre{overflow-x:auto;background:var(--line);padding:.5rem;border-radius:.25rem}
footer{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem;border-top:1px solid var(--line);margin-top:1.5rem;padding-top:.75rem;font-size:.8rem;color:var(--muted)}
a{color:var(--accent)}`;

/** The page's style block with the admin's accent colour, and its hash for the CSP. */
function styleFor(branding: Branding): { css: string; hash: string } {
  const accent = /^#[0-9a-f]{6}$/i.test(branding.accentColor) ? branding.accentColor : '#0369a1';
  const css = `${STYLE}\n:root{--accent:${accent}}`;
  return { css, hash: `sha256-${createHash('sha256').update(css).digest('base64')}` };
}

function incidentCard(incident: PublicStatus['incidents'][number]): string {
  const id = `incident-${escapeHtml(incident.key)}`;
  const updates = incident.updates
    .map(
      (update) =>
        `<li><p class="when"><strong>${escapeHtml(label(update.status))}</strong> <span class="meta">· <time datetime="${update.postedAt}">${formatDateTime(update.postedAt)}</time></span></p><div class="body">${renderUpdateBody(update.body)}</div></li>`,
    )
    .join('');
  return `<article aria-labelledby="${id}"><header><h3 id="${id}">${escapeHtml(incident.title)}</h3><span class="state">${escapeHtml(label(incident.status))}</span></header>
<p class="meta">${incident.services.length ? `Affects ${escapeHtml(incident.services.join(', '))} · ` : ''}started <time datetime="${incident.startedAt}">${formatDateTime(incident.startedAt)}</time>${
    incident.resolvedAt ? ` · resolved <time datetime="${incident.resolvedAt}">${formatDateTime(incident.resolvedAt)}</time>` : ''
  }</p><ol aria-label="Updates on ${escapeHtml(incident.title)}">${updates}</ol></article>`;
}

function renderPage({ status, branding }: Snapshot, css: string): string {
  const open = new Set<string>(openStatuses);
  const active = status.incidents.filter((i) => open.has(i.status));
  const resolved = status.incidents.filter((i) => !open.has(i.status));
  const title = escapeHtml(branding.title);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><meta name="description" content="Current status and incident history: ${title}">
<link rel="alternate" type="application/atom+xml" href="/status/feed.xml" title="${title}: incident updates"><style>${css}</style></head>
<body><div class="bar"></div><main>
<header>${branding.logoUrl ? `<img src="${escapeHtml(branding.logoUrl)}" alt="">` : ''}<h1>${title}</h1></header>
${
  active.length === 0
    ? '<p role="status" class="banner ok">All systems operational</p>'
    : `<p role="status" class="banner busy">${active.length === 1 ? 'We are working on an incident.' : `We are working on ${active.length} incidents.`}</p>`
}
${active.length ? `<section aria-labelledby="active"><h2 id="active">Current incidents</h2>${active.map(incidentCard).join('\n')}</section>` : ''}
<section aria-labelledby="resolved"><h2 id="resolved">Resolved in the last 7 days</h2>${resolved.length ? resolved.map(incidentCard).join('\n') : '<p class="meta">No incidents.</p>'}</section>
<footer><span>Updated <time datetime="${status.updatedAt}">${formatDateTime(status.updatedAt)}</time></span><span><a href="/status/feed.xml">Subscribe (Atom feed)</a> · <a href="/api/v1/status">JSON</a></span></footer>
</main></body></html>`;
}

function renderFeed({ status, branding }: Snapshot, origin: string): string {
  const base = publicUrl('') || origin;
  const page = `${base}/status`;
  const entries = status.incidents
    .flatMap((incident) => incident.updates.map((update, i) => ({ incident, update, n: incident.updates.length - i })))
    .sort((a, b) => b.update.postedAt.localeCompare(a.update.postedAt))
    .slice(0, 100);
  const updated = entries[0]?.update.postedAt ?? status.updatedAt;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xml(branding.title)}</title>
  <id>${xml(page)}</id>
  <link rel="alternate" type="text/html" href="${xml(page)}"/>
  <link rel="self" type="application/atom+xml" href="${xml(`${page}/feed.xml`)}"/>
  <updated>${updated}</updated>
${entries
  .map(
    ({ incident, update, n }) => `  <entry>
    <id>${xml(`${page}#${incident.key}-${n}`)}</id>
    <title>${xml(`${label(update.status)}: ${incident.title}`)}</title>
    <link rel="alternate" type="text/html" href="${xml(page)}"/>
    <updated>${update.postedAt}</updated>
    <author><name>${xml(branding.title)}</name></author>
    <content type="text">${xml(update.body)}</content>
  </entry>`,
  )
  .join('\n')}
</feed>
`;
}

const publicCaching = { 'cache-control': `public, max-age=5` };

export async function statusPageResponse(): Promise<Response> {
  const data = await snapshot();
  const style = styleFor(data.branding);
  const csp = statusPageContentSecurityPolicy(style.hash, statusFrameAncestors(env.SITREP_STATUS_FRAME_ANCESTORS));
  return publicResponse(PATHS.page, renderPage(data, style.css), { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, ...publicCaching }, {
    maxAgeMs: STATUS_CACHE_SECONDS * 1000,
  });
}

export async function statusFeedResponse(origin: string): Promise<Response> {
  return publicResponse(PATHS.feed, renderFeed(await snapshot(), origin), { 'content-type': 'application/atom+xml; charset=utf-8', ...publicCaching }, {
    maxAgeMs: STATUS_CACHE_SECONDS * 1000,
  });
}

export async function statusJsonResponse(): Promise<Response> {
  const { status } = await snapshot();
  return publicResponse(PATHS.json, JSON.stringify(status), { 'content-type': 'application/json', 'access-control-allow-origin': '*', ...publicCaching }, {
    maxAgeMs: STATUS_CACHE_SECONDS * 1000,
  });
}
