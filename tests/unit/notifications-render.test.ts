import { describe, expect, it } from 'vitest';
import { escapeSlack, headline, renderEmail, renderNotification, renderSlack, renderTeams, renderWebhook, subjectLine, type IncidentMessage } from '@/lib/notifications/render';
import { channelInputSchema, parseEmailList } from '@/lib/notifications/schema';

const incident = {
  number: 42,
  key: 'INC-42',
  title: 'Checkout down',
  summary: 'Payments fail for every card.',
  severity: 'SEV1',
  status: 'investigating',
  services: ['checkout', 'payments'],
  url: 'https://sitrep.example.com/incidents/42',
};

function message(overrides: Partial<IncidentMessage> = {}): IncidentMessage {
  return { id: '6f1c2b9e-8a47-4d38-9a53-2f1b7c0f7a11', event: 'declared', incident, detail: {}, occurredAt: '2026-11-23T14:02:00.000Z', channel: '#incidents', ...overrides };
}

type SlackBlock = { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] };
type Card = { type: string; attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; actions: { type: string; url: string; title: string }[] } }[] };

describe('headline and subject', () => {
  it('names the incident, what happened and its title', () => {
    expect(subjectLine(message())).toBe('[SEV1] INC-42 declared: Checkout down');
    expect(headline(message({ event: 'severity_raised', detail: { previousSeverity: 'SEV3' } }))).toBe('INC-42 raised to SEV1 (was SEV3): Checkout down');
    expect(headline(message({ event: 'status_changed', incident: { ...incident, status: 'identified' }, detail: { previousStatus: 'investigating' } }))).toBe('INC-42 is now Identified (was Investigating): Checkout down');
    expect(headline(message({ event: 'resolved', incident: { ...incident, status: 'resolved' } }))).toBe('INC-42 resolved: Checkout down');
    expect(headline(message({ event: 'update_posted', detail: { update: { audience: 'public', body: 'We are on it.' } } }))).toBe('INC-42 has a new public update: Checkout down');
    expect(headline(message({ event: 'update_overdue', detail: { dueAt: '2026-11-23T14:05:00.000Z', communicationsLead: null } }))).toBe('INC-42 status update overdue since 14:05 UTC: Checkout down');
  });

  it('keeps a subject on one line', () => {
    expect(subjectLine(message({ incident: { ...incident, title: 'Checkout\r\ndown\tagain' } }))).toBe('[SEV1] INC-42 declared: Checkout down again');
  });
});

describe('Slack', () => {
  it('escapes &, < and > in what people typed, and links the incident', () => {
    expect(escapeSlack('a < b && c > d <!channel>')).toBe('a &lt; b &amp;&amp; c &gt; d &lt;!channel&gt;');
    const payload = renderSlack(
      message({
        event: 'update_posted',
        incident: { ...incident, title: 'DB <primary> & replica', services: ['a&b'] },
        detail: { update: { audience: 'internal', body: 'Failing over <@U123>\nsecond line' } },
      }),
    ) as { text: string; blocks: SlackBlock[] };
    expect(payload.text).toBe('[SEV1] INC-42 has a new internal update: DB &lt;primary&gt; &amp; replica');
    const json = JSON.stringify(payload);
    expect(json).not.toContain('<primary>');
    expect(json).not.toContain('<@U123>');
    expect(payload.blocks[0]!.text!.text).toBe('*<https://sitrep.example.com/incidents/42|INC-42> has a new internal update*: DB &lt;primary&gt; &amp; replica');
    expect(payload.blocks[1]!.fields!.map((f) => f.text)).toEqual(['*Severity*\nSEV1', '*Status*\nInvestigating', '*Services*\na&amp;b']);
    expect(payload.blocks[2]!.text!.text).toBe('*Internal update*\n>Failing over &lt;@U123&gt;\n>second line');
    expect(payload.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Sitrep · <https://sitrep.example.com/incidents/42|Open INC-42>' }] });
  });

  it('does not link a relative URL (SITREP_URL unset)', () => {
    const payload = renderSlack(message({ incident: { ...incident, url: '/incidents/42' } })) as { blocks: SlackBlock[] };
    expect(payload.blocks[0]!.text!.text).toBe('*INC-42 declared*: Checkout down');
    expect(JSON.stringify(payload)).not.toContain('/incidents/42');
  });

  it('shows the summary with a declaration and caps long text under Slack’s limit', () => {
    const declared = renderSlack(message()) as { blocks: SlackBlock[] };
    expect(declared.blocks[2]!.text!.text).toBe('*Summary*\n>Payments fail for every card.');
    const long = renderSlack(message({ event: 'update_posted', detail: { update: { audience: 'public', body: 'x'.repeat(10_000) } } })) as { blocks: SlackBlock[] };
    expect(long.blocks[2]!.text!.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('Microsoft Teams', () => {
  it('sends an Adaptive Card with the facts and a button to the incident', () => {
    const card = renderTeams(message({ event: 'severity_raised', detail: { previousSeverity: 'SEV3' } })) as Card;
    expect(card.type).toBe('message');
    expect(card.attachments).toHaveLength(1);
    const attachment = card.attachments[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', text: 'INC-42 raised to SEV1 (was SEV3)' });
    expect(attachment.content.body.find((b) => b.type === 'FactSet')!.facts).toEqual([
      { title: 'Severity', value: 'SEV1' },
      { title: 'Status', value: 'Investigating' },
      { title: 'Services', value: 'checkout, payments' },
    ]);
    expect(attachment.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open INC-42', url: 'https://sitrep.example.com/incidents/42' }]);
  });

  it('leaves the button out when the URL is relative (Teams refuses it)', () => {
    const card = renderTeams(message({ incident: { ...incident, url: '/incidents/42' } })) as Card;
    expect(card.attachments[0]!.content.actions).toEqual([]);
  });
});

describe('generic webhook', () => {
  it('is JSON with the incident and only the details that apply', () => {
    expect(renderWebhook(message({ event: 'status_changed', incident: { ...incident, status: 'monitoring' }, detail: { previousStatus: 'identified' } }))).toEqual({
      id: '6f1c2b9e-8a47-4d38-9a53-2f1b7c0f7a11',
      type: 'incident.status_changed',
      incident: { number: 42, key: 'INC-42', title: 'Checkout down', severity: 'SEV1', status: 'monitoring', services: ['checkout', 'payments'], url: 'https://sitrep.example.com/incidents/42' },
      previousStatus: 'identified',
      occurredAt: '2026-11-23T14:02:00.000Z',
    });
    expect(renderWebhook(message({ event: 'update_overdue', detail: { dueAt: '2026-11-23T14:05:00.000Z', communicationsLead: { name: 'Cora', email: 'cora@example.com' } } }))).toMatchObject({
      type: 'incident.update_overdue',
      dueAt: '2026-11-23T14:05:00.000Z',
      communicationsLead: { name: 'Cora', email: 'cora@example.com' },
    });
  });
});

describe('e-mail', () => {
  it('has a subject with the severity and a plain-text body with the link', () => {
    const email = renderEmail(message({ event: 'update_posted', detail: { update: { audience: 'public', body: 'We are rolling back.' } } }));
    expect(email.subject).toBe('[SEV1] INC-42 has a new public update: Checkout down');
    expect(email.body).toContain('Severity: SEV1\nStatus:   Investigating\nServices: checkout, payments');
    expect(email.body).toContain('Public update (status page):\nWe are rolling back.');
    expect(email.body).toContain('Open INC-42: https://sitrep.example.com/incidents/42');
    expect(email.body).toContain('notification channel “#incidents”');
  });

  it('names who is reminded of an overdue update, or that nobody is', () => {
    expect(renderEmail(message({ event: 'update_overdue', detail: { dueAt: '2026-11-23T14:05:00.000Z', communicationsLead: { name: 'Cora Comms', email: 'cora@example.com' } } })).body).toContain(
      'Cora Comms (cora@example.com) is to post the next update.',
    );
    expect(renderEmail(message({ event: 'update_overdue', detail: { dueAt: '2026-11-23T14:05:00.000Z', communicationsLead: null } })).body).toContain('Nobody holds the Communications Lead');
  });
});

describe('test messages', () => {
  const test = { id: '6f1c2b9e-8a47-4d38-9a53-2f1b7c0f7a11', event: 'test' as const, channel: '#ops <alerts>', occurredAt: '2026-11-23T14:02:00.000Z', settingsUrl: 'https://sitrep.example.com/settings/notifications' };

  it('renders for every kind', () => {
    expect(renderNotification('email', test).subject).toBe('[Sitrep] Test notification for “#ops <alerts>”');
    expect(renderNotification('slack', test).body).toContain('&lt;alerts&gt;');
    expect(JSON.parse(renderNotification('webhook', test).body)).toMatchObject({ type: 'test', channel: '#ops <alerts>' });
    expect(JSON.parse(renderNotification('teams', test).body).attachments[0].content.actions[0]).toMatchObject({ type: 'Action.OpenUrl', url: test.settingsUrl });
  });
});

describe('private incidents', () => {
  const raised = { id: '6f1c2b9e-8a47-4d38-9a53-2f1b7c0f7a11', event: 'severity_raised' as const, private: true as const, severity: 'SEV1', previousSeverity: 'SEV3', occurredAt: '2026-11-23T14:02:00.000Z', channel: '#security', sitrepUrl: 'https://sitrep.example.com/' };

  it('says what happened and how grave it is, links Sitrep itself, and tells readers where the details are', () => {
    expect(renderNotification('email', raised)).toEqual({
      subject: '[SEV1] A private incident was raised to SEV1 (was SEV3)',
      body: 'A private incident was raised to SEV1 (was SEV3).\n\nSeverity: SEV1\n\nIts details are visible only to its members and admins in Sitrep.\n\nSitrep: https://sitrep.example.com/\n\n-- \nSitrep, for the notification channel “#security”.\n',
    });
    const slack = renderSlack({ ...raised, event: 'declared' }) as { text: string; blocks: { text?: { text: string }; elements?: { text: string }[] }[] };
    expect(slack.text).toBe('[SEV1] A private incident was declared');
    expect(slack.blocks.at(-1)!.elements![0]!.text).toBe('<https://sitrep.example.com/|Open Sitrep>');
    expect(JSON.parse(renderNotification('webhook', { ...raised, event: 'resolved' }).body)).toEqual({
      id: raised.id,
      type: 'incident.resolved',
      incident: { private: true, severity: 'SEV1' },
      previousSeverity: 'SEV3',
      occurredAt: raised.occurredAt,
    });
    const card = renderTeams(raised) as Card;
    expect(card.attachments[0]!.content.body[0]!.text).toBe('A private incident was raised to SEV1 (was SEV3)');
    expect(card.attachments[0]!.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open Sitrep', url: 'https://sitrep.example.com/' }]);
  });
});

describe('channel input', () => {
  it('reads e-mail lists and names the address to fix', () => {
    expect(parseEmailList('oncall@example.com, SRE@example.com;sre@example.com\nboss@example.org')).toEqual({ ok: true, addresses: ['oncall@example.com', 'SRE@example.com', 'boss@example.org'] });
    expect(parseEmailList('oncall@example.com, bob@')).toEqual({ ok: false, message: '“bob@” is not an e-mail address; write it like oncall@example.com' });
    expect(parseEmailList(' , ')).toEqual({ ok: false, message: 'Give at least one e-mail address, e.g. oncall@example.com' });
  });

  it('wants at least one known event and orders them', () => {
    expect(channelInputSchema.safeParse({ name: 'Ops', kind: 'slack', events: [] }).error?.issues[0]?.message).toBe('Pick at least one event to notify about');
    expect(channelInputSchema.safeParse({ name: 'Ops', kind: 'slack', events: ['exploded'] }).error?.issues[0]?.message).toMatch(/^Events are declared, severity_raised/);
    expect(channelInputSchema.safeParse({ name: 'Ops', kind: 'fax', events: ['declared'] }).error?.issues[0]?.message).toBe('The kind is slack, teams, webhook or email');
    expect(channelInputSchema.parse({ name: 'Ops', kind: 'slack', events: ['resolved', 'declared', 'resolved'], severities: ['sev1', 'SEV1'] })).toMatchObject({ events: ['declared', 'resolved'], severities: ['SEV1'] });
  });
});
