import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, ValidationError } from '@/lib/platform/errors';
import { allowedNextStatuses, incidentStatuses, planStatusChange, type IncidentStatus, type KeyTimes } from '@/lib/incidents/lifecycle';

const now = new Date('2026-11-22T14:00:00Z');
const earlier = new Date('2026-11-22T13:00:00Z');
const blank: KeyTimes = { mitigatedAt: null, resolvedAt: null, closedAt: null };
const at = (status: IncidentStatus, times: Partial<KeyTimes> = {}) => ({ key: 'INC-7', status, times: { ...blank, ...times } });

describe('status lifecycle', () => {
  it('allows every move between open statuses and any open status to resolved', () => {
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      for (const to of ['investigating', 'identified', 'monitoring', 'resolved'] as const) {
        if (from === to) continue;
        expect(planStatusChange(at(from), to, { now }).kind, `${from} → ${to}`).toBe('move');
      }
    }
  });

  it('treats setting the current status again as no change', () => {
    for (const status of incidentStatuses) expect(planStatusChange(at(status), status, { now })).toEqual({ kind: 'none' });
  });

  it('closes only resolved incidents, and says where the incident can go instead', () => {
    expect(planStatusChange(at('resolved'), 'closed', { now })).toMatchObject({ kind: 'move', times: { closedAt: now } });
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      expect(() => planStatusChange(at(from), 'closed', { now })).toThrow(InvalidTransitionError);
    }
    expect(() => planStatusChange(at('monitoring'), 'closed', { now })).toThrow(
      'INC-7 is monitoring; it can move to investigating, identified or resolved, not closed. An incident is closed only once it is resolved.',
    );
  });

  it('needs a reason to reopen a resolved or closed incident, and clears resolved/closed times', () => {
    for (const from of ['resolved', 'closed'] as const) {
      for (const to of ['investigating', 'identified', 'monitoring'] as const) {
        expect(() => planStatusChange(at(from), to, { now })).toThrow(ValidationError);
        expect(() => planStatusChange(at(from), to, { now, reason: '   ' })).toThrow(/needs a reason/);
        expect(planStatusChange(at(from, { resolvedAt: earlier, closedAt: earlier }), to, { now, reason: 'errors are back' })).toEqual({
          kind: 'reopen',
          from,
          to,
          times: { resolvedAt: null, closedAt: null },
        });
      }
    }
  });

  it('refuses closed → resolved (reopen first)', () => {
    expect(() => planStatusChange(at('closed'), 'resolved', { now })).toThrow(InvalidTransitionError);
  });

  it('records mitigation the first time the incident reaches monitoring, or resolved when it skipped it', () => {
    expect(planStatusChange(at('investigating'), 'monitoring', { now })).toMatchObject({ times: { mitigatedAt: now } });
    expect(planStatusChange(at('investigating'), 'resolved', { now })).toMatchObject({ times: { mitigatedAt: now, resolvedAt: now } });
    const change = planStatusChange(at('monitoring', { mitigatedAt: earlier }), 'resolved', { now });
    expect(change).toMatchObject({ times: { resolvedAt: now } });
    expect(change.kind !== 'none' && 'mitigatedAt' in change.times).toBe(false);
  });

  it('lists the next statuses in lifecycle order', () => {
    expect(allowedNextStatuses('investigating')).toEqual(['identified', 'monitoring', 'resolved']);
    expect(allowedNextStatuses('resolved')).toEqual(['closed', 'investigating', 'identified', 'monitoring']);
    expect(allowedNextStatuses('closed')).toEqual(['investigating', 'identified', 'monitoring']);
  });
});
