import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactPlan, directPolicy, escalationTimeline, nextEscalationStep, planEscalation, previousEscalationStep, resolveTargets, type ContactMethodRef, type PageEvent } from '@/lib/oncall/escalation';
import { scheduleInputSchema, type EscalationPolicy } from '@/lib/oncall/schema';
import { onCallAt } from '@/lib/oncall/shifts';

const T = Date.parse('2026-12-07T10:00:00Z');
const at = (seconds: number) => new Date(T + seconds * 1000);
const triggeredAt = at(0);
const SCHEDULE = '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01';

// Seed 001's matrix: DevOps on-call (0–5 min) → team lead (5–15 min) → CTO.
const policy: EscalationPolicy = {
  repeat: 0,
  levels: [
    { delaySeconds: 300, targets: [{ schedule: SCHEDULE }] },
    { delaySeconds: 600, targets: [{ user: 'lead@example.com' }] },
    { delaySeconds: 900, targets: [{ user: 'cto@example.com' }] },
  ],
};

const steps = (timeline: { steps: { level: number; round: number; at: Date; cause: string }[] }) =>
  timeline.steps.map((step) => `${step.round}.${step.level} +${(step.at.getTime() - T) / 1000}s ${step.cause}`);

describe('escalation timeline', () => {
  it('notifies level 1 at once and each next level when the previous one’s wait runs out', () => {
    expect(steps(escalationTimeline(policy, triggeredAt, [], at(0)))).toEqual(['1.1 +0s triggered']);
    expect(escalationTimeline(policy, triggeredAt, [], at(299))).toMatchObject({ next: { level: 2, round: 1, at: at(300) }, canEscalate: true, exhaustedAt: null });
    expect(steps(escalationTimeline(policy, triggeredAt, [], at(300)))).toEqual(['1.1 +0s triggered', '1.2 +300s timeout']);
    const late = escalationTimeline(policy, triggeredAt, [], at(10_000));
    expect(steps(late)).toEqual(['1.1 +0s triggered', '1.2 +300s timeout', '1.3 +900s timeout']);
    expect(late).toMatchObject({ status: 'triggered', next: null, canEscalate: false, exhaustedAt: at(1800), stoppedAt: null });
  });

  it('runs the levels again `repeat` more times, then is exhausted', () => {
    const twice: EscalationPolicy = { repeat: 1, levels: [{ delaySeconds: 60, targets: [{ user: 'a@example.com' }] }, { delaySeconds: 120, targets: [{ user: 'b@example.com' }] }] };
    const timeline = escalationTimeline(twice, triggeredAt, [], at(3600));
    expect(steps(timeline)).toEqual(['1.1 +0s triggered', '1.2 +60s timeout', '2.1 +180s timeout', '2.2 +240s timeout']);
    expect(timeline.exhaustedAt).toEqual(at(360));
    expect(escalationTimeline(twice, triggeredAt, [], at(200)).next).toEqual({ level: 2, round: 2, at: at(240) });
  });

  it('stops at an acknowledgement; one at the very moment a level falls due wins', () => {
    const acknowledged = escalationTimeline(policy, triggeredAt, [{ at: at(300), kind: 'acknowledged' }], at(5000));
    expect(steps(acknowledged)).toEqual(['1.1 +0s triggered']);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', stoppedAt: at(300), next: null, canEscalate: false, exhaustedAt: null });
    const resolved = escalationTimeline(policy, triggeredAt, [{ at: at(400), kind: 'resolved' }], at(5000));
    expect(steps(resolved)).toEqual(['1.1 +0s triggered', '1.2 +300s timeout']);
    expect(resolved.status).toBe('resolved');
  });

  it('ignores events that have not happened yet, and counts early ones from the trigger', () => {
    expect(escalationTimeline(policy, triggeredAt, [{ at: at(1000), kind: 'acknowledged' }], at(500))).toMatchObject({ status: 'triggered', next: { level: 3, at: at(900) } });
    expect(escalationTimeline(policy, triggeredAt, [{ at: at(-5), kind: 'acknowledged' }], at(500))).toMatchObject({ status: 'acknowledged', stoppedAt: at(0) });
  });

  it('escalates now to the next level and counts its wait from then; with no level left it changes nothing', () => {
    const events: PageEvent[] = [
      { at: at(30), kind: 'escalated' },
      { at: at(40), kind: 'escalated' },
      { at: at(50), kind: 'escalated' },
    ];
    const timeline = escalationTimeline(policy, triggeredAt, events, at(2000));
    expect(steps(timeline)).toEqual(['1.1 +0s triggered', '1.2 +30s escalated', '1.3 +40s escalated']);
    expect(timeline.exhaustedAt).toEqual(at(940));
  });

  it('runs levels with no wait one after another at once, and still ends', () => {
    const instant: EscalationPolicy = { repeat: 9, levels: [{ delaySeconds: 0, targets: [{ user: 'a@example.com' }] }] };
    const timeline = escalationTimeline(instant, triggeredAt, [], at(0));
    expect(timeline.steps).toHaveLength(10);
    expect(timeline.steps.every((step) => step.at.getTime() === T)).toBe(true);
    expect(timeline.exhaustedAt).toEqual(at(0));
  });

  it('holds for any events: levels in order, never after the stop, never more than the policy has', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.record({ at: fc.integer({ min: -60, max: 5000 }), kind: fc.constantFrom('acknowledged', 'resolved', 'escalated') as fc.Arbitrary<PageEvent['kind']> }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 6000 }),
        (levelCount, repeat, delays, eventSpecs, nowSeconds) => {
          const generated: EscalationPolicy = { repeat, levels: delays.slice(0, levelCount).map((delaySeconds) => ({ delaySeconds, targets: [{ user: 'a@example.com' }] })) };
          const events = eventSpecs.map((event) => ({ at: at(event.at), kind: event.kind }));
          const timeline = escalationTimeline(generated, triggeredAt, events, at(nowSeconds));
          expect(timeline.steps.length).toBeLessThanOrEqual(levelCount * (repeat + 1));
          timeline.steps.forEach((step, index) => {
            expect(step.at.getTime()).toBeLessThanOrEqual(T + nowSeconds * 1000);
            if (index === 0) return;
            const previous = timeline.steps[index - 1]!;
            expect(step.at.getTime()).toBeGreaterThanOrEqual(previous.at.getTime());
            expect((previous.round - 1) * levelCount + previous.level + 1).toBe((step.round - 1) * levelCount + step.level);
            // A level falling due when the page stops is not notified; an "escalate now" recorded before the stop, in the same millisecond, is.
            if (timeline.stoppedAt) expect(step.at.getTime()).toBeLessThanOrEqual(timeline.stoppedAt.getTime() - (step.cause === 'timeout' ? 1 : 0));
            // A timeout comes exactly one wait after the previous level.
            if (step.cause === 'timeout') expect(step.at.getTime() - previous.at.getTime()).toBe(generated.levels[previous.level - 1]!.delaySeconds * 1000);
          });
          const firstStop = events
            .filter((event) => event.kind !== 'escalated' && event.at.getTime() <= T + nowSeconds * 1000)
            .map((event) => Math.max(T, event.at.getTime()))
            .sort((a, b) => a - b)[0];
          expect(timeline.stoppedAt?.getTime() ?? null).toBe(firstStop ?? null);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('who is notified', () => {
  const onCall = (scheduleId: string) => (scheduleId === SCHEDULE ? ['oncall@example.com'] : []);

  it('resolves schedules to whoever is on call then, once per person', () => {
    const targets = [{ schedule: SCHEDULE }, { user: 'oncall@example.com' }, { user: 'lead@example.com' }, { schedule: '9f1c1f43-3d3b-4e55-9d8e-8a1a7b5c2d10' }];
    expect(resolveTargets(targets, triggeredAt, onCall)).toEqual({
      users: [
        { email: 'oncall@example.com', via: [{ schedule: SCHEDULE }, { user: 'oncall@example.com' }] },
        { email: 'lead@example.com', via: [{ user: 'lead@example.com' }] },
      ],
      schedulesWithNobody: ['9f1c1f43-3d3b-4e55-9d8e-8a1a7b5c2d10'],
    });
  });

  it('asks the schedule at the moment each level is notified (through onCallAt)', () => {
    // Ana until 10:03 UTC, then Ben (an override); level 1 repeats after 5 minutes.
    const rules = scheduleInputSchema.parse({ name: 'DevOps on-call', timeZone: 'UTC', layers: [{ participants: ['ana@example.com'], rotation: 'daily', handoffTime: '00:00', startDate: '2026-12-01' }] });
    const overrides = [{ email: 'ben@example.com', start: at(180), end: at(3600) }];
    const plan = planEscalation({
      policy: { repeat: 1, levels: [{ delaySeconds: 300, targets: [{ schedule: SCHEDULE }] }] },
      triggeredAt,
      events: [],
      now: at(600),
      onCall: (id, when) => (id === SCHEDULE ? onCallAt(rules, overrides, when).users : []),
      contactMethods: () => [{ id: 'm1', kind: 'email', delaySeconds: 0 }],
    });
    expect(plan.notifications.map((n) => `${n.round}.${n.level} ${n.email} +${(n.at.getTime() - T) / 1000}s ${n.state}`)).toEqual([
      '1.1 ana@example.com +0s due',
      '2.1 ben@example.com +300s due',
    ]);
  });

  it('orders a person’s contact methods by their delays', () => {
    const methods: ContactMethodRef[] = [
      { id: 'mail', kind: 'email', delaySeconds: 120 },
      { id: 'push', kind: 'ntfy', delaySeconds: 0 },
      { id: 'sms', kind: 'webhook', delaySeconds: 60 },
    ];
    expect(contactPlan(methods, triggeredAt).map((p) => `${p.method.id} +${(p.at.getTime() - T) / 1000}s`)).toEqual(['push +0s', 'sms +60s', 'mail +120s']);
  });
});

describe('the whole plan', () => {
  const methods: Record<string, ContactMethodRef[]> = {
    'oncall@example.com': [
      { id: 'push', kind: 'ntfy', delaySeconds: 0 },
      { id: 'mail', kind: 'email', delaySeconds: 120 },
    ],
    'lead@example.com': [{ id: 'lead-mail', kind: 'email', delaySeconds: 0 }],
  };
  const input = (now: number, events: PageEvent[] = []) => ({
    policy,
    triggeredAt,
    events,
    now: at(now),
    onCall: (id: string) => (id === SCHEDULE ? ['oncall@example.com'] : []),
    contactMethods: (email: string) => methods[email] ?? [],
  });
  const summary = (plan: ReturnType<typeof planEscalation>) => plan.notifications.map((n) => `${n.level} ${n.method.id} +${(n.at.getTime() - T) / 1000}s ${n.state}`);

  it('sends each method at its delay, wakes for the next thing to do, and flags who cannot be reached', () => {
    const start = planEscalation(input(0));
    expect(summary(start)).toEqual(['1 push +0s due', '1 mail +120s waiting']);
    expect(start.wakeAt).toEqual(at(120));
    expect(planEscalation(input(120)).wakeAt).toEqual(at(300));

    const later = planEscalation(input(1000));
    expect(summary(later)).toEqual(['1 push +0s due', '1 mail +120s due', '2 lead-mail +300s due']);
    // The CTO has no contact method.
    expect(later.unreachable).toEqual([{ level: 3, round: 1, email: 'cto@example.com' }]);
    expect(later.wakeAt).toBeNull();
  });

  it('keeps a level’s later methods going while the next level is notified', () => {
    const quick: EscalationPolicy = { ...policy, levels: [{ delaySeconds: 60, targets: [{ schedule: SCHEDULE }] }, ...policy.levels.slice(1)] };
    const plan = planEscalation({ ...input(100), policy: quick });
    expect(summary(plan)).toEqual(['1 push +0s due', '2 lead-mail +60s due', '1 mail +120s waiting']);
  });

  it('cancels what had not gone out when someone acknowledges, and needs no more waking', () => {
    const plan = planEscalation(input(1000, [{ at: at(90), kind: 'acknowledged' }]));
    expect(summary(plan)).toEqual(['1 push +0s due', '1 mail +120s cancelled']);
    expect(plan).toMatchObject({ status: 'acknowledged', wakeAt: null, next: null });
    // An acknowledgement at the second a delayed method falls due wins over it.
    expect(summary(planEscalation(input(1000, [{ at: at(120), kind: 'acknowledged' }])))).toEqual(['1 push +0s due', '1 mail +120s cancelled']);
  });

  it('says so when a schedule has nobody on call', () => {
    const plan = planEscalation({ ...input(0), onCall: () => [] });
    expect(plan.schedulesWithNobody).toEqual([{ level: 1, round: 1, scheduleId: SCHEDULE }]);
    expect(plan.notifications).toEqual([]);
    expect(plan.wakeAt).toEqual(at(300));
  });

  it('pages a person or a schedule directly as a one-level policy', () => {
    const plan = planEscalation({ ...input(3600), policy: directPolicy({ user: 'lead@example.com' }) });
    expect(summary(plan)).toEqual(['1 lead-mail +0s due']);
    expect(plan).toMatchObject({ next: null, canEscalate: false, exhaustedAt: at(0), wakeAt: null });
  });

  it('gives the same plan from the same facts, whenever it is asked', () => {
    const events: PageEvent[] = [{ at: at(500), kind: 'escalated' }];
    expect(planEscalation(input(2000, events))).toEqual(planEscalation(input(2000, [...events])));
    // What was due at 1000 s is still due, unchanged, at 2000 s.
    const before = planEscalation(input(1000, events)).notifications.filter((n) => n.state === 'due');
    const after = planEscalation(input(2000, events)).notifications.filter((n) => n.at.getTime() <= T + 1000 * 1000);
    expect(after).toEqual(before);
  });
});

describe('stepping through the levels one at a time', () => {
  const policy = { repeat: 1, levels: [{ delaySeconds: 300, targets: [{ user: 'a@example.com' }] }, { delaySeconds: 600, targets: [{ user: 'b@example.com' }] }] };

  it('goes level by level, then round by round while repeat allows, then stops', () => {
    const walk: { level: number; round: number }[] = [{ level: 1, round: 1 }];
    for (let step = nextEscalationStep(policy, walk[0]!); step; step = nextEscalationStep(policy, step)) walk.push(step);
    expect(walk).toEqual([
      { level: 1, round: 1 },
      { level: 2, round: 1 },
      { level: 1, round: 2 },
      { level: 2, round: 2 },
    ]);
  });

  it('finds the step before each step, and none before the first', () => {
    expect(previousEscalationStep(policy, { level: 1, round: 1 })).toBeNull();
    expect(previousEscalationStep(policy, { level: 2, round: 1 })).toEqual({ level: 1, round: 1 });
    expect(previousEscalationStep(policy, { level: 1, round: 2 })).toEqual({ level: 2, round: 1 });
    for (let step = nextEscalationStep(policy, { level: 1, round: 1 }), before = { level: 1, round: 1 }; step; before = step, step = nextEscalationStep(policy, step)) {
      expect(previousEscalationStep(policy, step)).toEqual(before);
    }
  });
});
