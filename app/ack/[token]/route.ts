// The acknowledge link of a page notification (API.md): GET shows the page and an Acknowledge
// button and never acknowledges (mail scanners and link previews open links); POST acknowledges
// as the person the link was sent to, without a session: the browser form, and ntfy's action
// button (an empty POST). 404 for an unknown link, 410 once the page was resolved or the link
// expired. Browsers get HTML, everything else JSON. Outside /api/v1: the link is for people.
import { randomUUID } from 'node:crypto';
import { renderAckDone, renderAckPage, renderAckProblem } from '@/lib/oncall/ack-page';
import { findAckLink } from '@/lib/oncall/queries';
import { acknowledgeWithLink } from '@/lib/oncall/service';
import { databaseUnavailable, DomainError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ token: string }> };

const HEADERS = {
  'cache-control': 'no-store',
  // The token is in the URL: never pass it on in a Referer, never index the page.
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  // No script; its one inline style block and its form posting back to itself (the request
  // edge's default policy for non-pages would refuse the style).
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function wantsHtml(request: Request): boolean {
  return /text\/html/.test(request.headers.get('accept') ?? '');
}

function html(body: string, status: number): Response {
  return new Response(body, { status, headers: { ...HEADERS, 'content-type': 'text/html; charset=utf-8' } });
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, 'content-type': 'application/json' } });
}

function failure(request: Request, thrown: unknown): Response {
  const error = databaseUnavailable(thrown) ?? thrown;
  const requestId = randomUUID();
  const known = error instanceof DomainError;
  if (!known) log.error('acknowledge link failed', { requestId, error });
  const status = known ? error.status : 500;
  const message = known ? error.message : `Something went wrong on our side; quote request id ${requestId} when reporting it.`;
  const title = status === 404 ? 'Unknown link' : status === 410 ? 'This link no longer works' : status === 409 ? 'Nothing to acknowledge' : 'Could not acknowledge';
  return wantsHtml(request) ? html(renderAckProblem(title, message), status) : json({ status, title, detail: message }, status);
}

export async function GET(request: Request, context: Context): Promise<Response> {
  const { token } = await context.params;
  try {
    const view = await findAckLink(token);
    if (!view) return failure(request, new DomainError(404, 'Not found', 'This acknowledge link does not exist. Open the link from the notification again, or acknowledge in Sitrep.'));
    return html(renderAckPage(view, `/ack/${encodeURIComponent(token)}`), view.state === 'gone' ? 410 : 200);
  } catch (error) {
    return failure(request, error);
  }
}

export async function POST(request: Request, context: Context): Promise<Response> {
  const { token } = await context.params;
  try {
    const outcome = await acknowledgeWithLink(token);
    if (wantsHtml(request)) return html(renderAckDone(outcome.page, outcome.person, outcome.acknowledgedNow), 200);
    return json(
      {
        status: outcome.page.status,
        acknowledgedNow: outcome.acknowledgedNow,
        acknowledgedBy: outcome.page.acknowledgedBy ? { email: outcome.page.acknowledgedBy.email } : null,
        acknowledgedAt: outcome.page.acknowledgedAt,
        page: { id: outcome.page.id, title: outcome.page.title, incident: outcome.page.incident },
      },
      200,
    );
  } catch (error) {
    return failure(request, error);
  }
}
