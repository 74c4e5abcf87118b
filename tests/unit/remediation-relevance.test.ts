// The Remediation panel lists first the actions linked to the incident (issue #16, item 12).
import { describe, expect, it } from 'vitest';
import { rankActions } from '@/lib/remediation/relevance';
import type { ActionDto } from '@/lib/remediation/schema';

function action(id: string, name: string, extra: Partial<ActionDto> = {}): ActionDto {
  return {
    id, name, description: `${name} description`, services: [], tags: [], url: 'https://automation.example.com', method: 'POST', headers: [], bodyTemplate: null,
    timeoutMs: 10_000, maxAttempts: 5, requiresConfirmation: false, minRole: 'responder', parameters: [], disabled: null, secretRotation: null, version: 1, ...extra,
  };
}

describe('rankActions', () => {
  const actions = [
    action('a', 'Flush CDN'),
    action('b', 'Restart checkout', { services: ['Checkout'] }),
    action('c', 'Roll back', { tags: ['rollback'] }),
    action('d', 'Fail over DB'),
    action('e', 'Scale workers', { services: ['search'] }),
  ];

  it('puts step-linked, service and tag matches first with their reasons, the rest after in their order', () => {
    const ranked = rankActions(actions, { services: ['checkout'] }, { steps: [{ title: 'Fail over the primary', remediationActionId: 'd' }, { title: 'Check it', remediationActionId: null }], tags: ['Rollback'] });
    expect(ranked.linked.map((r) => [r.action.name, r.reasons])).toEqual([
      ['Fail over DB', ['runbook step “Fail over the primary”']],
      ['Restart checkout', ['service Checkout']],
      ['Roll back', ['tag rollback']],
    ]);
    expect(ranked.other.map((a) => a.name)).toEqual(['Flush CDN', 'Scale workers']);
  });

  it('leaves every action among the others when nothing links them', () => {
    expect(rankActions(actions, { services: [] }, { steps: [], tags: [] })).toEqual({ linked: [], other: actions });
  });
});
