import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  escapeMattermost,
  ntfyHeaderValue,
  pageSubject,
  renderContactTest,
  renderMentionNotice,
  renderPageEmail,
  renderPageMattermost,
  renderPageNotice,
  renderPageNtfy,
  renderPageSlack,
  renderPageTeams,
  renderPageWebhook,
  type PageNotice,
} from '@/lib/oncall/messages';
import { contactKinds } from '@/lib/oncall/schema';

const ACK = 'https://sitrep.example.com/ack/pg_7Hq2x9LmN3bV';
const notice: PageNotice = {
  page: {
    id: '5c3e1a9b-6f0d-4b7e-9a51-2d8c4e6f1a20',
    title: 'Checkout <errors> & “timeouts” above 5%',
    details: 'p95 latency 4.2 s\nError rate 7% on *checkout-api*',
    level: 1,
    incident: { number: 42, key: 'INC-42' },
  },
  user: { email: 'ana@example.com', name: 'Ana Lima' },
  ackUrl: ACK,
  pageUrl: 'https://sitrep.example.com/pages/5c3e1a9b-6f0d-4b7e-9a51-2d8c4e6f1a20',
  pagedBy: 'Ben Okafor',
};
const escalated: PageNotice = { ...notice, page: { ...notice.page, level: 2 } };
const bare: PageNotice = { ...notice, page: { ...notice.page, incident: null, details: null }, ackUrl: '/ack/pg_7Hq2x9LmN3bV', pageUrl: undefined, pagedBy: null };

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('e-mail', () => {
  it('says what, why you, and how to acknowledge', () => {
    const mail = renderPageEmail(notice);
    expect(mail.subject).toBe('[Page] INC-42 Checkout <errors> & “timeouts” above 5%');
    expect(mail.text).toContain('You are paged by Ben Okafor.');
    expect(mail.text).toContain(`Acknowledge: ${ACK}\n`);
    expect(mail.text).toContain('p95 latency 4.2 s\nError rate 7% on *checkout-api*');
    expect(renderPageEmail(escalated).subject).toBe('[Page, level 2] INC-42 Checkout <errors> & “timeouts” above 5%');
    expect(renderPageEmail(escalated).text).toContain('this is level 2');
    expect(pageSubject(bare)).toBe('[Page] Checkout <errors> & “timeouts” above 5%');
  });

  it('keeps a title with line breaks on one subject line', () => {
    expect(pageSubject({ ...notice, page: { ...notice.page, title: 'Disk full\r\nBcc: everyone@example.com' } })).toBe('[Page] INC-42 Disk full Bcc: everyone@example.com');
  });
});

describe('ntfy', () => {
  it('publishes with a title, priority 5, tags, a click target and an http action that POSTs the acknowledgement', () => {
    const { headers, body } = renderPageNtfy(notice);
    expect(headers).toEqual({
      Title: ntfyHeaderValue('INC-42 Checkout <errors> & “timeouts” above 5%'),
      Priority: '5',
      Tags: 'rotating_light,inc-42',
      Click: ACK,
      Actions: `http, Acknowledge, ${ACK}, method=POST, clear=true`,
    });
    expect(body).toBe('You are paged by Ben Okafor.\n\np95 latency 4.2 s\nError rate 7% on *checkout-api*');
    expect(renderPageNtfy(escalated).headers.Tags).toBe('rotating_light,inc-42,level-2');
  });

  it('encodes non-ASCII titles as RFC 2047 words of at most 75 characters, which decode back', () => {
    const title = 'Zahlungsausfall: Überweisungen hängen – “Störung” 🚨 seit 14:02 bei allen Banken in Österreich';
    const encoded = ntfyHeaderValue(title);
    expect(encoded).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)( =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$/);
    const words = encoded.split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(words.map((word) => Buffer.from(word.slice(10, -2), 'base64').toString('utf8')).join('')).toBe(title);
    expect(ntfyHeaderValue('Plain ASCII, kept as it is')).toBe('Plain ASCII, kept as it is');
  });

  it('sends headers Node accepts and ntfy can parse, to a real HTTP receiver', async () => {
    const received = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      const server = http.createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.end('{}');
          server.close();
          resolve(request.headers);
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const { headers, body } = renderPageNtfy({ ...notice, page: { ...notice.page, title: 'Überweisungen hängen\nseit 14:02' } });
        const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/sitrep-ana', headers }, (response) => response.resume());
        request.on('error', reject);
        request.end(body);
      });
    });
    expect(received.priority).toBe('5');
    expect(received.actions).toBe(`http, Acknowledge, ${ACK}, method=POST, clear=true`);
    expect(received.title).toMatch(/^=\?UTF-8\?B\?/);
  });

  it('leaves the button out without an absolute link, and says where to acknowledge instead', () => {
    const { headers, body } = renderPageNtfy(bare);
    expect(headers.Actions).toBeUndefined();
    expect(headers.Click).toBeUndefined();
    expect(body).toContain('Acknowledge: /ack/pg_7Hq2x9LmN3bV');
  });
});

describe('chat webhooks', () => {
  it('Slack: escapes &, < and > and links the acknowledge page', () => {
    const payload = renderPageSlack(notice) as { text: string; blocks: { text: { text: string } }[] };
    expect(payload.text).toBe('[Page] INC-42 Checkout &lt;errors&gt; &amp; “timeouts” above 5%');
    const texts = payload.blocks.map((block) => block.text.text);
    expect(texts[0]).toBe(`:rotating_light: *Page*: <${notice.pageUrl}|INC-42 Checkout &lt;errors&gt; &amp; “timeouts” above 5%>`);
    expect(texts).toContain(`*<${ACK}|Acknowledge>* (opens a page with the button)`);
    expect(strings(payload).join('\n')).not.toMatch(/<errors>/);
  });

  it('Teams: an Adaptive Card whose Acknowledge button opens the confirmation page', () => {
    const card = renderPageTeams(escalated) as { type: string; attachments: { contentType: string; content: { body: { text: string }[]; actions: { type: string; title: string; url: string }[] } }[] };
    expect(card.type).toBe('message');
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.content.body[0]!.text).toBe('Page (level 2): INC-42 Checkout <errors> & “timeouts” above 5%');
    expect(card.attachments[0]!.content.actions.map((action) => [action.type, action.title, action.url])).toEqual([
      ['Action.OpenUrl', 'Acknowledge', ACK],
      ['Action.OpenUrl', 'Open in Sitrep', notice.pageUrl],
    ]);
    const withoutLinks = renderPageTeams(bare) as typeof card;
    expect(withoutLinks.attachments[0]!.content.actions).toEqual([]);
  });

  it('Mattermost: Markdown with the title escaped, so it cannot become a link or a mention', () => {
    const hostile: PageNotice = { ...notice, page: { ...notice.page, title: '[click](https://evil.example) @channel **now**' } };
    const payload = renderPageMattermost(hostile) as { text: string; attachments: { fallback: string; text: string }[] };
    expect(payload.text).toBe(`:rotating_light: **Page**: [INC-42 \\[click\\]\\(https://evil.example\\) \\@channel \\*\\*now\\*\\*](${notice.pageUrl})`);
    expect(payload.attachments[0]!.text).toContain(`**[Acknowledge](${ACK})**`);
    expect(payload.attachments[0]!.text).toContain('> Error rate 7% on \\*checkout-api\\*');
    expect(escapeMattermost('a_b')).toBe('a\\_b');
  });
});

describe('signed webhook', () => {
  it('is exactly API.md’s page.triggered body', () => {
    expect(renderPageWebhook(escalated)).toEqual({
      type: 'page.triggered',
      page: { id: notice.page.id, title: notice.page.title, level: 2, incident: { number: 42, key: 'INC-42' } },
      user: { email: 'ana@example.com' },
      ackUrl: ACK,
    });
    expect(renderPageWebhook(bare)).toMatchObject({ page: { incident: null } });
  });
});

describe('every kind', () => {
  it('renders a stored form for each contact kind, JSON where it is posted as JSON', () => {
    for (const kind of contactKinds) {
      const rendered = renderPageNotice(kind, notice);
      expect(rendered.subject, kind).toBe('[Page] INC-42 Checkout <errors> & “timeouts” above 5%');
      if (kind === 'email' || kind === 'ntfy') expect(rendered.body).toContain('You are paged by Ben Okafor.');
      else expect(strings(JSON.parse(rendered.body)).join('\n'), kind).toContain(ACK);
      const test = renderContactTest(kind, { user: notice.user, settingsUrl: 'https://sitrep.example.com/settings/profile' });
      expect(test.subject).toBe('[Sitrep] Test of your contact method');
      if (kind !== 'email' && kind !== 'ntfy') expect(() => JSON.parse(test.body)).not.toThrow();
    }
    expect(renderPageNotice('ntfy', notice).headers.Priority).toBe('5');
    expect(renderContactTest('ntfy', { user: notice.user, settingsUrl: 'https://sitrep.example.com/settings/profile' }).headers.Priority).toBe('3');
  });
});

describe('a mention in a note, per contact method', () => {
  const mention = {
    incident: { number: 42, key: 'INC-42', title: 'Checkout <down>' },
    user: { email: 'cat@example.com' },
    author: 'Ana Ops',
    note: '@cat can you draft the *customer* update?\nStatus page first.',
    url: 'https://sitrep.example.com/incidents/42',
    subject: '[INC-42] Ana Ops mentioned you: Checkout <down>',
    text: 'the e-mail text',
  };

  it('is calm on a phone (default priority), opens the incident, and is valid JSON for every chat kind', () => {
    const ntfy = renderMentionNotice('ntfy', mention);
    expect(ntfy.headers).toEqual({ Title: 'Ana Ops mentioned you on INC-42 Checkout <down>', Priority: '3', Tags: 'speech_balloon,inc-42', Click: mention.url });
    expect(ntfy.body).toBe(mention.note);
    expect(renderMentionNotice('email', mention)).toEqual({ subject: mention.subject, body: 'the e-mail text', headers: {} });
    for (const kind of contactKinds.filter((k) => k !== 'email' && k !== 'ntfy')) {
      const body = JSON.parse(renderMentionNotice(kind, mention).body) as object;
      expect(JSON.stringify(body)).toContain('Ana Ops');
    }
    expect(JSON.parse(renderMentionNotice('slack', mention).body).blocks[0].text.text).toBe(':speech_balloon: Ana Ops mentioned you on <https://sitrep.example.com/incidents/42|INC-42 Checkout &lt;down&gt;>');
    expect(JSON.parse(renderMentionNotice('webhook', mention).body)).toMatchObject({ type: 'note.mentioned', by: 'Ana Ops', url: mention.url });
  });
});
