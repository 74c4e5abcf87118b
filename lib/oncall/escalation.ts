// ESCALATION, planned as a pure function of the policy, when the page was triggered and what has
// happened to it since. The durable queue wakes the planner at `wakeAt`; whichever worker wakes
// gets the same answer from the same facts, so the service can compare the plan with the
// notifications it has recorded and send only the missing ones. The rules:
//
// - Level 1 is notified when the page is triggered. A level waits its `delaySeconds`, counted from
//   when that level was notified, then the next level is notified if the page is still
//   unacknowledged. After the last level the levels run again from level 1, `repeat` more times;
//   then the policy is exhausted (`exhaustedAt`: the last level's wait ran out).
// - "Escalate now" notifies the next level at once; its wait counts from then. With no level left
//   it changes nothing (`canEscalate` says so beforehand).
// - Acknowledging or resolving stops the escalation: no later level is notified, and contact
//   methods whose delay had not passed are not used. An acknowledgement at the very moment a level
//   falls due wins: that level is not notified. Events at the same instant count in the order
//   given (the order they were recorded in).
// - A schedule target is whoever is on call in it at the moment its level is notified. A person
//   reached twice in one level (directly and through a schedule) is notified once.
// - Each notified person is reached through every contact method, each at its own delay after the
//   level was notified.
import type { ContactKind, EscalationPolicy, EscalationTarget } from '@/lib/oncall/schema';

export type PageEvent = { at: Date; kind: 'acknowledged' | 'resolved' | 'escalated' };

export type EscalationStep = {
  /** 1-based, as the API shows it. */
  level: number;
  /** 1 for the first run through the levels, up to repeat + 1. */
  round: number;
  at: Date;
  /** Why it was notified: the page was triggered, the previous level's wait ran out, or someone escalated. */
  cause: 'triggered' | 'timeout' | 'escalated';
};

export type EscalationTimeline = {
  status: 'triggered' | 'acknowledged' | 'resolved';
  /** Every level notified up to now, in order. */
  steps: EscalationStep[];
  /** The level notified last. */
  current: EscalationStep;
  /** The level after it, if the policy has one left, and when it falls due if nobody acknowledges. */
  next: { level: number; round: number; at: Date } | null;
  /** When the last level's wait ran out with nobody acknowledging; null while levels remain or once the page ended. */
  exhaustedAt: Date | null;
  /** When the page was acknowledged or resolved, whichever came first; null while it is open. */
  stoppedAt: Date | null;
  /** Whether "escalate now" would notify another level. */
  canEscalate: boolean;
};

type Moment = { level: number; round: number };

function stepAfter(policy: EscalationPolicy, step: Moment): Moment | null {
  if (step.level < policy.levels.length) return { level: step.level + 1, round: step.round };
  if (step.round <= policy.repeat) return { level: 1, round: step.round + 1 };
  return null;
}

/**
 * The step after level `level` of run `round`: the next level, or level 1 of the next run while
 * `repeat` allows one; null when the policy is done. The durable escalation step asks this.
 */
export function nextEscalationStep(policy: EscalationPolicy, step: { level: number; round: number }): { level: number; round: number } | null {
  return stepAfter(policy, step);
}

/** The step before `step`, or null for level 1 of the first run. */
export function previousEscalationStep(policy: EscalationPolicy, step: { level: number; round: number }): { level: number; round: number } | null {
  if (step.level > 1) return { level: step.level - 1, round: step.round };
  if (step.round > 1) return { level: policy.levels.length, round: step.round - 1 };
  return null;
}

function delayOf(policy: EscalationPolicy, level: number): number {
  return policy.levels[level - 1]!.delaySeconds * 1000;
}

/** Which levels have been notified by `now`, and what comes next. */
export function escalationTimeline(policy: EscalationPolicy, triggeredAt: Date, events: readonly PageEvent[], now: Date): EscalationTimeline {
  if (policy.levels.length === 0) throw new RangeError('An escalation policy needs at least one level');
  const start = triggeredAt.getTime();
  const until = now.getTime();
  // Events before the page existed count from its start; those after `now` have not happened.
  const happened = events
    .map((event) => ({ at: Math.max(start, event.at.getTime()), kind: event.kind }))
    .filter((event) => event.at <= until)
    .sort((a, b) => a.at - b.at);

  const steps: EscalationStep[] = [{ level: 1, round: 1, at: new Date(start), cause: 'triggered' }];
  let status: EscalationTimeline['status'] = 'triggered';
  let stoppedAt: number | null = null;
  let eventIndex = 0;

  for (;;) {
    const current = steps[steps.length - 1]!;
    const following = stepAfter(policy, current);
    const due = current.at.getTime() + delayOf(policy, current.level);
    const event = happened[eventIndex];
    // The next thing to happen: an event, or the next level falling due (an event at the same moment goes first).
    if (event && (!following || event.at <= due)) {
      eventIndex++;
      if (event.kind === 'escalated') {
        if (following) steps.push({ ...following, at: new Date(event.at), cause: 'escalated' });
        continue;
      }
      status = event.kind;
      stoppedAt = event.at;
      break;
    }
    if (following && due <= until) {
      steps.push({ ...following, at: new Date(due), cause: 'timeout' });
      continue;
    }
    break;
  }

  const current = steps[steps.length - 1]!;
  const following = stepAfter(policy, current);
  const lastWaitEnds = current.at.getTime() + delayOf(policy, current.level);
  const open = stoppedAt === null;
  return {
    status,
    steps,
    current,
    next: open && following ? { ...following, at: new Date(lastWaitEnds) } : null,
    exhaustedAt: open && !following && lastWaitEnds <= until ? new Date(lastWaitEnds) : null,
    stoppedAt: stoppedAt === null ? null : new Date(stoppedAt),
    canEscalate: open && following !== null,
  };
}

// ---- Who is notified, and how ----

export type NotifiedUser = {
  email: string;
  /** The targets of the level that reached this person (a user directly, or a schedule). */
  via: EscalationTarget[];
};

/**
 * The people a level's targets reach at an instant. `onCall` answers who is on call in a schedule
 * then (built on onCallAt; an unknown schedule has nobody). Schedules with nobody on call are
 * listed so the page can say so.
 */
export function resolveTargets(
  targets: readonly EscalationTarget[],
  at: Date,
  onCall: (scheduleId: string, at: Date) => readonly string[],
): { users: NotifiedUser[]; schedulesWithNobody: string[] } {
  const users: NotifiedUser[] = [];
  const schedulesWithNobody: string[] = [];
  const add = (email: string, via: EscalationTarget) => {
    const known = users.find((user) => user.email === email);
    if (known) known.via.push(via);
    else users.push({ email, via: [via] });
  };
  for (const target of targets) {
    if ('user' in target) {
      add(target.user, target);
      continue;
    }
    const people = onCall(target.schedule, at);
    if (people.length === 0) schedulesWithNobody.push(target.schedule);
    for (const email of people) add(email, target);
  }
  return { users, schedulesWithNobody };
}

export type ContactMethodRef = { id: string; kind: ContactKind; delaySeconds: number };

export type PlannedNotification = {
  level: number;
  round: number;
  email: string;
  method: ContactMethodRef;
  at: Date;
  /**
   * due: its time has come while the page was open, so it is (or should have been) sent;
   * waiting: its time is still ahead; cancelled: the page was acknowledged or resolved first.
   */
  state: 'due' | 'waiting' | 'cancelled';
};

/** When each of a person's contact methods is used for a level notified at `at`, in time order. */
export function contactPlan(methods: readonly ContactMethodRef[], at: Date): { method: ContactMethodRef; at: Date }[] {
  return methods
    .map((method) => ({ method, at: new Date(at.getTime() + method.delaySeconds * 1000) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.method.id.localeCompare(b.method.id));
}

export type EscalationInput = {
  policy: EscalationPolicy;
  triggeredAt: Date;
  events: readonly PageEvent[];
  now: Date;
  /** Who is on call in a schedule at an instant. */
  onCall: (scheduleId: string, at: Date) => readonly string[];
  /** A person's contact methods; none for a person who has not set any up. */
  contactMethods: (email: string) => readonly ContactMethodRef[];
};

export type EscalationPlan = EscalationTimeline & {
  /** Every notification the levels notified so far call for, in time order. */
  notifications: PlannedNotification[];
  /** People a level reached who have no contact method: nobody can reach them. */
  unreachable: { level: number; round: number; email: string }[];
  /** Schedule targets that had nobody on call when their level was notified. */
  schedulesWithNobody: { level: number; round: number; scheduleId: string }[];
  /** When the planner should run again: the next level or the next waiting notification; null when nothing is left to do. */
  wakeAt: Date | null;
};

/** The whole plan: levels, the people they reach, and each contact method's moment. */
export function planEscalation(input: EscalationInput): EscalationPlan {
  const timeline = escalationTimeline(input.policy, input.triggeredAt, input.events, input.now);
  const until = input.now.getTime();
  const stoppedAt = timeline.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const notifications: PlannedNotification[] = [];
  const unreachable: EscalationPlan['unreachable'] = [];
  const schedulesWithNobody: EscalationPlan['schedulesWithNobody'] = [];

  for (const step of timeline.steps) {
    const targets = input.policy.levels[step.level - 1]!.targets;
    const resolved = resolveTargets(targets, step.at, input.onCall);
    for (const scheduleId of resolved.schedulesWithNobody) schedulesWithNobody.push({ level: step.level, round: step.round, scheduleId });
    for (const user of resolved.users) {
      const methods = input.contactMethods(user.email);
      if (methods.length === 0) unreachable.push({ level: step.level, round: step.round, email: user.email });
      for (const planned of contactPlan(methods, step.at)) {
        const at = planned.at.getTime();
        // A method at delay 0 goes out with its level even if an acknowledgement follows at once.
        const state = at > stoppedAt || (at === stoppedAt && at > step.at.getTime()) ? 'cancelled' : at <= until ? 'due' : 'waiting';
        notifications.push({ level: step.level, round: step.round, email: user.email, method: planned.method, at: planned.at, state });
      }
    }
  }
  notifications.sort((a, b) => a.at.getTime() - b.at.getTime());

  const wakes = notifications.filter((notification) => notification.state === 'waiting').map((notification) => notification.at.getTime());
  if (timeline.next) wakes.push(timeline.next.at.getTime());
  return { ...timeline, notifications, unreachable, schedulesWithNobody, wakeAt: wakes.length ? new Date(Math.min(...wakes)) : null };
}

/** A page straight to a person or a schedule: one level, notified once. */
export function directPolicy(target: EscalationTarget): EscalationPolicy {
  return { repeat: 0, levels: [{ delaySeconds: 0, targets: [target] }] };
}
