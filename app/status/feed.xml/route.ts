// An Atom feed of public status updates: one entry per update, newest first. Same data and the
// same few seconds of caching as the status page.
import { getBranding } from '@/lib/communications/queries';
import { getPublicStatus, STATUS_CACHE_SECONDS } from '@/lib/communications/status-page';
import { statusLabels, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { publicUrl } from '@/lib/platform/urls';

export const dynamic = 'force-dynamic';

function xml(text: string): string {
  // XML 1.0 forbids most control characters even escaped; drop them.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function GET(request: Request): Promise<Response> {
  const [status, branding] = await Promise.all([getPublicStatus(), getBranding()]);
  const base = publicUrl('') || new URL(request.url).origin;
  const page = `${base}/status`;
  const entries = status.incidents
    .flatMap((incident) => incident.updates.map((update, i) => ({ incident, update, n: incident.updates.length - i })))
    .sort((a, b) => b.update.postedAt.localeCompare(a.update.postedAt))
    .slice(0, 100);
  const updated = entries[0]?.update.postedAt ?? status.updatedAt;
  const body = `<?xml version="1.0" encoding="utf-8"?>
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
    <title>${xml(`${statusLabels[update.status as IncidentStatus] ?? update.status}: ${incident.title}`)}</title>
    <link rel="alternate" type="text/html" href="${xml(page)}"/>
    <updated>${update.postedAt}</updated>
    <author><name>${xml(branding.title)}</name></author>
    <content type="text">${xml(update.body)}</content>
  </entry>`,
  )
  .join('\n')}
</feed>
`;
  return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': `public, max-age=${STATUS_CACHE_SECONDS}` } });
}
