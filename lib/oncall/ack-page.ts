// The acknowledge page people reach from a notification (`/ack/<token>`), as one self-contained
// HTML document: no session, no JavaScript, no assets to load, readable on a phone in the dark.
// It is rendered by the route handler (app/ack/[token]/route.ts) because the answer's status
// matters (410 once the link no longer works) and a page component cannot set one. Every value
// is escaped; the form posts to the same URL, which is what acknowledges (a GET never does).
import type { AckLinkView } from '@/lib/oncall/queries';
import type { PageDto } from '@/lib/oncall/schema';
import { formatDateTime } from '@/lib/platform/time';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

const STYLE = `
  :root { color-scheme: light dark; --fg: #18181b; --muted: #71717a; --bg: #fafafa; --card: #fff; --line: #e4e4e7; --accent: #dc2626; --ok: #047857; }
  @media (prefers-color-scheme: dark) { :root { --fg: #f4f4f5; --muted: #a1a1aa; --bg: #09090b; --card: #18181b; --line: #27272a; --accent: #ef4444; --ok: #34d399; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
  main { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1.25rem; }
  .meta { color: var(--muted); font-size: .875rem; margin: 0 0 .25rem; }
  h1 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 .75rem; }
  .details { white-space: pre-wrap; margin: 0 0 1rem; }
  button { width: 100%; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: .375rem; padding: .75rem 1rem; cursor: pointer; }
  button:focus-visible { outline: 3px solid var(--fg); outline-offset: 2px; }
  .note { color: var(--muted); font-size: .875rem; margin: .75rem 0 0; }
  .done { color: var(--ok); font-weight: 600; }
  .gone { font-weight: 600; }
  a { color: inherit; }
`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escape(title)} · Sitrep</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>
`;
}

function heading(page: PageDto): string {
  const level = page.levels > 1 || page.cycles > 1 ? `level ${page.level}${page.cycles > 1 ? ` (run ${page.cycle} of ${page.cycles})` : ''} · ` : '';
  const by = page.triggeredBy?.name ?? page.source;
  return `<p class="meta">${page.incident ? `${escape(page.incident.key)} · ` : ''}Page · ${level}triggered ${escape(formatDateTime(page.createdAt))}${by ? ` by ${escape(by)}` : ''}</p>
<h1>${escape(page.title)}</h1>
${page.details ? `<p class="details">${escape(page.details)}</p>` : ''}`;
}

function acknowledgedLine(page: PageDto, you: string): string {
  const who = page.acknowledgedBy ? (page.acknowledgedBy.email === you ? 'you' : escape(page.acknowledgedBy.name)) : 'someone';
  return `<p class="done" role="status">Acknowledged by ${who}${page.acknowledgedAt ? ` at ${escape(formatDateTime(page.acknowledgedAt))}` : ''}. The escalation has stopped.</p>`;
}

/** GET /ack/<token>: the page and an Acknowledge button (posting to this URL), or why the link no longer works. */
export function renderAckPage(view: AckLinkView, actionPath: string): string {
  const { page, person, state } = view;
  let action: string;
  if (state === 'gone') action = `<p class="gone" role="alert">${escape(view.message ?? 'This link no longer works.')}</p>`;
  else if (state === 'acknowledged') action = acknowledgedLine(page, person.email);
  else {
    action = `<form method="post" action="${escape(actionPath)}">
<button type="submit">Acknowledge as ${escape(person.name)}</button>
</form>
<p class="note">Acknowledging tells the team you are on it and stops the escalation to the next level. Nothing happens until you press the button.</p>`;
  }
  return document(`Page: ${page.title}`, `<div class="card">${heading(page)}${action}</div>
<p class="note">Sent to ${escape(person.name)} &lt;${escape(person.email)}&gt;. <a href="/pages">Open pages in Sitrep</a> (sign-in needed).</p>`);
}

/** POST /ack/<token> from a browser: what happened. */
export function renderAckDone(page: PageDto, person: { email: string; name: string }, acknowledgedNow: boolean): string {
  const line = acknowledgedNow
    ? `<p class="done" role="status">You acknowledged this page at ${escape(formatDateTime(page.acknowledgedAt ?? new Date()))}. The escalation has stopped.</p>`
    : acknowledgedLine(page, person.email);
  const incident = page.incident ? `<p class="note"><a href="/incidents/${page.incident.number}">Open ${escape(page.incident.key)}</a> (sign-in needed).</p>` : '';
  return document(`Acknowledged: ${page.title}`, `<div class="card">${heading(page)}${line}${incident}</div>`);
}

/** An ack link that does not exist, or one that stopped working, for a browser. */
export function renderAckProblem(title: string, message: string): string {
  return document(title, `<div class="card"><h1>${escape(title)}</h1><p class="gone" role="alert">${escape(message)}</p></div>`);
}
