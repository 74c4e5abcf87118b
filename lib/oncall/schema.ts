// What on-call and paging accept and answer (API.md, "On-call and paging"): schedules with their
// layers and restrictions, overrides, escalation policies, contact methods and pages. Shared by
// the settings forms, the server actions and the API. Every message says what to write instead,
// and every invalid field is reported at once (cross-field rules run even when another field of
// the same object is already wrong).
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { emailSchema } from '@/lib/platform/auth/email';
import { shown, STORABLE_TIME_MESSAGE, storableTime } from '@/lib/platform/validation';
import { contactKindNames, contactKinds, shortWeekdays, weekdays, type ContactKind, type ShortWeekday, type Weekday } from '@/lib/oncall/vocabulary';

export { contactKindNames, contactKinds, shortWeekdays, weekdays } from '@/lib/oncall/vocabulary';
export type { ContactKind, ShortWeekday, Weekday } from '@/lib/oncall/vocabulary';

// ---- Days and clock times ----

/** "mon" or "Monday" → its index, Monday = 0 (ISO order); -1 when it is no day. */
function weekdayIndex(value: unknown): number {
  if (typeof value !== 'string') return -1;
  const word = value.trim().toLowerCase();
  const index = shortWeekdays.indexOf(word as ShortWeekday);
  return index >= 0 ? index : weekdays.indexOf(word as Weekday);
}

/** A property of a value being parsed, which may not be an object yet. */
function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of "HH:MM" (and "24:00" = 1440). */
export function clockMinutes(clock: string): number {
  if (clock === '24:00') return 24 * 60;
  const match = CLOCK.exec(clock);
  if (!match) throw new RangeError(`${clock} is not a clock time (HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const clockTime = (field: string, example: string) =>
  z
    .string({ error: `Write ${field} as HH:MM on a 24-hour clock, e.g. ${example}` })
    .trim()
    // "9:00" is what people type; the stored form has two digits.
    .transform((value) => (/^\d:\d\d$/.test(value) ? `0${value}` : value))
    .refine((value) => CLOCK.test(value), { error: (issue) => `${shown(issue.input)} is not a time of day; write ${field} as HH:MM on a 24-hour clock, e.g. ${example}` });

/** A restriction may end at the end of the day. */
const endClockTime = z
  .string({ error: 'Write the end of the window as HH:MM on a 24-hour clock, e.g. 17:00 (24:00 for midnight)' })
  .trim()
  .transform((value) => (/^\d:\d\d$/.test(value) ? `0${value}` : value))
  .refine((value) => value === '24:00' || CLOCK.test(value), {
    error: (issue) => `${shown(issue.input)} is not a time of day; write the end of the window as HH:MM, e.g. 17:00 (24:00 for midnight)`,
  });

/** A calendar date, checked to exist (2027-02-29 does not; 2028-02-29 does). */
export const calendarDateSchema = z
  .string({ error: 'Write the start date as YYYY-MM-DD, e.g. 2026-12-07' })
  .trim()
  .superRefine((value, ctx) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `${value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07` });
      return;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: year < 1970 ? `${value} is too early; start dates are in 1970 or later` : `${value} is not a day of the calendar; check the month and the day (YYYY-MM-DD)` });
    }
  });

// ---- Time zones ----

/** Every IANA zone this runtime knows, for suggestions ("Berlin" → "Europe/Berlin"). */
function knownZones(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

/** A real zone that the text probably meant: the same name in another case, or the same city. */
export function suggestTimeZone(text: string): string | null {
  const wanted = text.trim().toLowerCase().replace(/\s+/g, '_');
  if (!wanted) return null;
  const zones = knownZones();
  return zones.find((zone) => zone.toLowerCase() === wanted) ?? zones.find((zone) => zone.toLowerCase().endsWith(`/${wanted.split('/').pop()}`)) ?? null;
}

/**
 * An IANA time zone name, as the runtime's time-zone database (via Luxon) knows it, in its
 * canonical spelling ("europe/berlin" → "Europe/Berlin"). Offsets such as "+01:00" are refused:
 * a fixed offset would keep the hand-off at 09:00 only half of the year.
 */
export const timeZoneSchema = z
  .string({ error: 'Choose the time zone the hand-offs happen in, an IANA name such as Europe/Berlin' })
  .trim()
  .min(1, 'Choose the time zone the hand-offs happen in, an IANA name such as Europe/Berlin')
  .max(64, 'Time zone names are shorter; use an IANA name such as Europe/Berlin')
  .superRefine((value, ctx) => {
    // Node 24's ICU accepts offsets ("+01:00") as zones; an offset is still not a place.
    if (IANAZone.isValidZone(value) && !/^[+\-\u2212]\d/.test(value)) return;
    const suggestion = suggestTimeZone(value);
    ctx.addIssue({ code: 'custom', message: `${value} is not a time zone; use an IANA name such as ${suggestion ?? 'Europe/Berlin'}` });
  })
  .transform((value) => new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone);

// ---- Schedules ----

export const MAX_LAYERS = 10;
export const MAX_PARTICIPANTS = 100;
/** The longest N-hour rotation: a shift of a month. */
export const MAX_ROTATION_HOURS = 744;

/** daily, weekly or every N hours; shifts follow the local clock (see shifts.ts). */
export type Rotation = 'daily' | 'weekly' | { hours: number };

const ROTATION_HINT = 'The rotation is "daily", "weekly" or {"hours": n}, e.g. {"hours": 8} for three shifts a day';

const rotationSchema = z.unknown().transform((value, ctx): Rotation => {
  if (value === 'daily' || value === 'weekly') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && 'hours' in value) {
    const hours = (value as { hours: unknown }).hours;
    if (typeof hours === 'number' && Number.isInteger(hours) && hours >= 1 && hours <= MAX_ROTATION_HOURS) return { hours };
    ctx.addIssue({ code: 'custom', path: ['hours'], message: `A shift is a whole number of hours from 1 to ${MAX_ROTATION_HOURS}, e.g. {"hours": 8}` });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: `${typeof value === 'string' ? `${value} is not a rotation. ` : ''}${ROTATION_HINT}` });
  return z.NEVER;
});

const dayOfWeekSchema = z.unknown().transform((value, ctx): ShortWeekday => {
  const at = weekdayIndex(value);
  if (at >= 0) return shortWeekdays[at]!;
  ctx.addIssue({ code: 'custom', message: `${shown(value)} is not a day; use mon, tue, wed, thu, fri, sat or sun` });
  return z.NEVER;
});

const handoffDaySchema = z.unknown().transform((value, ctx): Weekday => {
  const at = weekdayIndex(value);
  if (at >= 0) return weekdays[at]!;
  ctx.addIssue({ code: 'custom', message: `${shown(value)} is not a day; use monday, tuesday, … or sunday` });
  return z.NEVER;
});

const restrictionSchema = z
  .object({
    days: z
      .array(dayOfWeekSchema, { error: 'days is a list of weekdays, e.g. ["mon", "tue", "wed", "thu", "fri"]' })
      .min(1, 'Pick at least one day, e.g. ["mon", "tue", "wed", "thu", "fri"]')
      .max(7, 'A week has seven days; list each at most once')
      // Mon-first and once each, so equal restrictions compare equal however they were typed.
      .transform((days) => shortWeekdays.filter((day) => days.includes(day))),
    from: clockTime('the start of the window', '09:00'),
    to: endClockTime,
  })
  .superRefine(
    (restriction, ctx) => {
      if (restriction.from === restriction.to) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `The window ${restriction.from}–${restriction.to} is empty; for whole days write from 00:00 to 24:00` });
      }
    },
    { when: (payload) => typeof field(payload.value, 'from') === 'string' && field(payload.value, 'from') === field(payload.value, 'to') },
  );

/**
 * A window in which the layer's shifts count, on each listed day, local time. `to` at or before
 * `from` runs past midnight into the next day (fri 17:00–09:00 is Friday evening to Saturday
 * morning); `to` 24:00 is the end of the day.
 */
export type Restriction = z.output<typeof restrictionSchema>;

export const layerInputSchema = z
  .object({
    name: z.string({ error: 'The layer name is text, e.g. Primary' }).trim().max(80, 'Keep the layer name under 80 characters').optional(),
    participants: z
      .array(emailSchema, { error: 'participants is the list of the people who take turns, by e-mail, e.g. ["ana@example.com", "ben@example.com"]' })
      .min(1, 'Add at least one participant (by e-mail) to the rotation')
      .max(MAX_PARTICIPANTS, `A rotation has at most ${MAX_PARTICIPANTS} participants`),
    rotation: rotationSchema,
    handoffTime: clockTime('the hand-off time', '09:00'),
    handoffDay: handoffDaySchema.optional(),
    startDate: calendarDateSchema,
    restrictions: z
      .array(restrictionSchema, { error: 'restrictions is a list of windows, e.g. [{"days": ["mon"], "from": "09:00", "to": "17:00"}]' })
      .max(14, 'At most 14 restriction windows per layer')
      .default([]),
  })
  .superRefine(
    (_layer, ctx) => {
      ctx.addIssue({ code: 'custom', path: ['handoffDay'], message: 'A hand-off day applies to weekly rotations only; leave it out, or make the rotation weekly' });
    },
    // Runs even when other fields are wrong, so this mistake is named together with theirs.
    {
      when: (payload) => {
        const rotation = field(payload.value, 'rotation');
        return field(payload.value, 'handoffDay') !== undefined && (rotation === 'daily' || (typeof rotation === 'object' && rotation !== null));
      },
    },
  );
export type LayerInput = z.input<typeof layerInputSchema>;
/** A rotation of participants; its first shift starts at handoffTime on startDate (weekly: on the first handoffDay on or after it). */
export type Layer = z.output<typeof layerInputSchema>;

export const scheduleInputSchema = z.object({
  name: z.string({ error: 'Give the schedule a name, e.g. Platform on-call' }).trim().min(2, 'Give the schedule a name, e.g. Platform on-call').max(80, 'Keep the name under 80 characters'),
  timeZone: timeZoneSchema,
  layers: z
    .array(layerInputSchema, { error: 'layers is a list of rotations; a schedule needs at least one' })
    .min(1, 'Add at least one layer (a rotation of participants)')
    .max(MAX_LAYERS, `A schedule has at most ${MAX_LAYERS} layers`),
});
export type ScheduleInput = z.input<typeof scheduleInputSchema>;
export type ScheduleRules = Pick<z.output<typeof scheduleInputSchema>, 'timeZone' | 'layers'>;

export const scheduleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    timeZone: z.string(),
    layers: z.array(
      z.object({
        name: z.string().optional(),
        participants: z.array(z.string()),
        rotation: z.union([z.literal('daily'), z.literal('weekly'), z.object({ hours: z.number().int() })]),
        handoffTime: z.string(),
        handoffDay: z.enum(weekdays).optional(),
        startDate: z.string(),
        restrictions: z.array(z.object({ days: z.array(z.enum(shortWeekdays)), from: z.string(), to: z.string() })),
      }),
    ),
    version: z.number().int(),
  })
  .meta({ id: 'Schedule' });
export type ScheduleDto = z.infer<typeof scheduleSchema>;

// ---- Overrides ----

const isoTime = (field: string) => z.iso.datetime({ offset: true, error: `Write ${field} as an ISO-8601 time, e.g. 2026-12-11T14:00:00+01:00` }).refine(storableTime, STORABLE_TIME_MESSAGE);

/** The longest override: someone covering a whole parental leave is a layer change, not an override. */
export const MAX_OVERRIDE_DAYS = 366;

export const overrideInputSchema = z
  .object({
    email: emailSchema,
    start: isoTime('the start'),
    end: isoTime('the end'),
  })
  .superRefine(
    (override, ctx) => {
      const start = Date.parse(override.start);
      const end = Date.parse(override.end);
      if (Number.isNaN(start) || Number.isNaN(end)) return;
      if (end <= start) ctx.addIssue({ code: 'custom', path: ['end'], message: `The override ends (${override.end}) before it starts (${override.start}); the end comes after the start` });
      else if (end - start > MAX_OVERRIDE_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['end'], message: `An override lasts at most ${MAX_OVERRIDE_DAYS} days; change the layers for longer` });
    },
    { when: (payload) => typeof (payload.value as { start?: unknown })?.start === 'string' && typeof (payload.value as { end?: unknown })?.end === 'string' },
  );
export type OverrideInput = z.input<typeof overrideInputSchema>;

/** Someone covering [start, end): wins over every layer. */
export type Override = { email: string; start: Date; end: Date };

export const overrideSchema = z
  .object({ id: z.uuid(), email: z.string(), start: z.iso.datetime(), end: z.iso.datetime(), createdBy: z.object({ email: z.string() }).nullable(), createdAt: z.iso.datetime() })
  .meta({ id: 'ScheduleOverride' });

// ---- Shifts and "who is on call" ----

export const shiftSchema = z
  .object({
    email: z.string(),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    source: z.enum(['layer', 'override']),
    // 0-based index of the layer the shift came from; null for overrides.
    layer: z.number().int().nullable(),
  })
  .meta({ id: 'Shift' });

export const MAX_SHIFTS_RANGE_DAYS = 90;

export const shiftsQuerySchema = z
  .object({ from: isoTime('from'), to: isoTime('to') })
  .superRefine(
    (range, ctx) => {
      const from = Date.parse(range.from);
      const to = Date.parse(range.to);
      if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` comes after `from`' });
      else if (to - from > MAX_SHIFTS_RANGE_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `Ask for at most ${MAX_SHIFTS_RANGE_DAYS} days of shifts at a time` });
    },
    { when: (payload) => typeof (payload.value as { from?: unknown })?.from === 'string' && typeof (payload.value as { to?: unknown })?.to === 'string' },
  );

export const oncallQuerySchema = z.object({ at: isoTime('at').optional() });

export const oncallSchema = z
  .object({ at: z.iso.datetime(), users: z.array(z.object({ email: z.string(), name: z.string() })), until: z.iso.datetime().nullable() })
  .meta({ id: 'OnCall' });

// ---- Escalation policies ----

export const MAX_LEVELS = 10;
export const MAX_REPEAT = 9;
/** A level waits at most a day before the next one: a page nobody answers for longer needs a person, not a timer. */
export const MAX_LEVEL_DELAY_SECONDS = 86_400;

const targetSchema = z
  .object({ user: z.unknown().optional(), schedule: z.unknown().optional() }, { error: 'A target is {"user": "<e-mail>"} or {"schedule": "<schedule id>"}' })
  .transform((target, ctx): { user: string } | { schedule: string } => {
    const hasUser = target.user !== undefined;
    const hasSchedule = target.schedule !== undefined;
    if (hasUser === hasSchedule) {
      ctx.addIssue({ code: 'custom', message: 'A target is either {"user": "<e-mail>"} or {"schedule": "<schedule id>"}, one of the two' });
      return z.NEVER;
    }
    if (hasUser) {
      const email = emailSchema.safeParse(target.user);
      if (!email.success) {
        ctx.addIssue({ code: 'custom', path: ['user'], message: `${shown(target.user)} is not an e-mail address; name the user by e-mail, like ana@example.com` });
        return z.NEVER;
      }
      return { user: email.data };
    }
    const id = z.uuid().safeParse(target.schedule);
    if (!id.success) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: `${shown(target.schedule)} is not a schedule id; use the id from GET /api/v1/schedules` });
      return z.NEVER;
    }
    return { schedule: id.data };
  });
export type EscalationTarget = { user: string } | { schedule: string };

export const levelInputSchema = z.object({
  delaySeconds: z
    .number({ error: 'delaySeconds is how many seconds this level waits for an acknowledgement before the next level, e.g. 300' })
    .int('delaySeconds is a whole number of seconds, e.g. 300')
    .min(0, 'delaySeconds is 0 or more')
    .max(MAX_LEVEL_DELAY_SECONDS, `A level waits at most ${MAX_LEVEL_DELAY_SECONDS} seconds (a day)`),
  targets: z
    .array(targetSchema, { error: 'targets is a list, e.g. [{"schedule": "<id>"}, {"user": "ana@example.com"}]' })
    .min(1, 'Each level notifies at least one target (a user or a schedule)')
    .max(20, 'A level has at most 20 targets'),
});
export type EscalationLevel = z.output<typeof levelInputSchema>;

export const policyInputSchema = z.object({
  name: z.string({ error: 'Give the policy a name, e.g. Platform escalation' }).trim().min(2, 'Give the policy a name, e.g. Platform escalation').max(80, 'Keep the name under 80 characters'),
  repeat: z
    .number({ error: `repeat is how many more times the levels run when nobody acknowledges, 0 to ${MAX_REPEAT}` })
    .int(`repeat is a whole number from 0 to ${MAX_REPEAT}`)
    .min(0, `repeat is a whole number from 0 to ${MAX_REPEAT}`)
    .max(MAX_REPEAT, `repeat is at most ${MAX_REPEAT}`)
    .default(0),
  levels: z
    .array(levelInputSchema, { error: 'levels is a list; each level has delaySeconds and targets' })
    .min(1, 'Add at least one level')
    .max(MAX_LEVELS, `A policy has at most ${MAX_LEVELS} levels`),
});
export type PolicyInput = z.input<typeof policyInputSchema>;
export type EscalationPolicy = Pick<z.output<typeof policyInputSchema>, 'repeat' | 'levels'>;

export const policySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    repeat: z.number().int(),
    levels: z.array(z.object({ delaySeconds: z.number().int(), targets: z.array(z.union([z.object({ user: z.string() }), z.object({ schedule: z.uuid() })])) })),
  })
  .meta({ id: 'EscalationPolicy' });

// ---- Contact methods ----

/** What a target looks like, per kind, for messages and placeholders. */
const targetExamples: Record<ContactKind, string> = {
  email: 'ana@example.com',
  ntfy: 'https://ntfy.sh/sitrep-ana-3f9k (the server URL and the topic)',
  slack: 'https://hooks.slack.com/services/T000/B000/XXXX',
  teams: 'https://example.webhook.office.com/webhookb2/…',
  mattermost: 'https://mattermost.example.com/hooks/xxxx',
  webhook: 'https://sms-gateway.example.com/sitrep',
};

export const MAX_CONTACT_DELAY_SECONDS = 3_600;

/** An http(s) URL; the destination guard (internal addresses) runs in the service, as for remediation. */
function httpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname && !url.username && !url.password ? url : null;
  } catch {
    return null;
  }
}

export const contactMethodInputSchema = z
  .object({
    kind: z.enum(contactKinds, { error: `The kind is ${contactKinds.join(', ')}` }),
    target: z
      .string({ error: 'Give the target: an e-mail address, or the URL to post to' })
      .trim()
      .min(1, 'Give the target: an e-mail address, or the URL to post to')
      .max(2_000, 'Keep the target under 2,000 characters'),
    delaySeconds: z
      .number({ error: `delaySeconds is how long after the page this method is used, 0 to ${MAX_CONTACT_DELAY_SECONDS} seconds` })
      .int('delaySeconds is a whole number of seconds')
      .min(0, 'delaySeconds is 0 (at once) or more')
      .max(MAX_CONTACT_DELAY_SECONDS, `delaySeconds is at most ${MAX_CONTACT_DELAY_SECONDS} (an hour)`)
      .default(0),
    label: z.string({ error: 'The label is text, e.g. Work phone' }).trim().max(80, 'Keep the label under 80 characters').optional(),
  })
  .superRefine(
    (method, ctx) => {
      const problem = contactTargetProblem(method.kind, method.target);
      if (problem) ctx.addIssue({ code: 'custom', path: ['target'], message: problem });
    },
    // Checked whenever kind and target are readable, so a wrong delay does not hide a wrong target.
    { when: (payload) => contactKinds.includes(field(payload.value, 'kind') as ContactKind) && typeof field(payload.value, 'target') === 'string' },
  )
  .transform((method) => ({ ...method, target: method.kind === 'email' ? method.target.toLowerCase() : method.target }));

/** What is wrong with a target for its kind, or null. */
export function contactTargetProblem(kind: ContactKind, target: string): string | null {
  const text = target.trim();
  if (kind === 'email') return emailSchema.safeParse(text).success ? null : `${text.slice(0, 80)} is not an e-mail address; write it like ${targetExamples.email}`;
  const url = httpUrl(text);
  if (!url) return `${text.slice(0, 80)} is not an http(s) URL; for ${contactKindNames[kind]} use one like ${targetExamples[kind]}`;
  if (kind === 'ntfy') {
    if (url.search || url.hash) return `An ntfy target is the server URL and the topic only, without ?… or #…, e.g. ${targetExamples.ntfy}`;
    if (url.pathname.split('/').filter(Boolean).length === 0) return `Add the topic to the server URL, e.g. ${targetExamples.ntfy}`;
  }
  return null;
}
export type ContactMethodInput = z.input<typeof contactMethodInputSchema>;

export const contactMethodSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(contactKinds),
    // Never the target itself (webhook URLs and ntfy topics are credentials), e.g. "ntfy.sh/…3f9k".
    hint: z.string(),
    delaySeconds: z.number().int(),
    label: z.string().nullable(),
    // Shown once, when a webhook method is created.
    signingSecret: z.string().optional(),
    // Set when the receiver answered 410 Gone: nothing more is sent until it is added again.
    disabled: z.object({ at: z.iso.datetime(), reason: z.string() }).nullable().optional(),
    // The outcome of the last message sent through it (a page or a test), null before the first.
    lastResult: z.object({ at: z.iso.datetime(), status: z.enum(['sent', 'failed']), error: z.string().nullable() }).nullable().optional(),
    // Whether a page can reach the person this way now (not disabled, e-mail only with an SMTP
    // server, the last message did not fail); `problem` says why not.
    working: z.boolean().optional(),
    problem: z.string().nullable().optional(),
  })
  .meta({ id: 'ContactMethod' });
export type ContactMethodDto = z.infer<typeof contactMethodSchema>;

// ---- Pages ----

export const pageStatuses = ['triggered', 'acknowledged', 'resolved'] as const;
export type PageStatus = (typeof pageStatuses)[number];

const pageTargetSchema = z
  .object({ policy: z.unknown().optional(), schedule: z.unknown().optional(), user: z.unknown().optional() }, {
    error: 'The target is {"policy": "<id>"}, {"schedule": "<id>"} or {"user": "<e-mail>"}',
  })
  .transform((target, ctx): PageTarget => {
    const given = (['policy', 'schedule', 'user'] as const).filter((key) => target[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'Page exactly one target: {"policy": "<id>"}, {"schedule": "<id>"} or {"user": "<e-mail>"}' });
      return z.NEVER;
    }
    const key = given[0]!;
    if (key === 'user') {
      const email = emailSchema.safeParse(target.user);
      if (email.success) return { user: email.data };
      ctx.addIssue({ code: 'custom', path: ['user'], message: `${shown(target.user)} is not an e-mail address; name the person by e-mail, like ana@example.com` });
      return z.NEVER;
    }
    const id = z.uuid().safeParse(target[key]);
    if (id.success) return key === 'policy' ? { policy: id.data } : { schedule: id.data };
    ctx.addIssue({ code: 'custom', path: [key], message: `${shown(target[key])} is not a ${key === 'policy' ? 'policy' : 'schedule'} id; use the id from GET /api/v1/${key === 'policy' ? 'escalation-policies' : 'schedules'}` });
    return z.NEVER;
  });
export type PageTarget = { policy: string } | { schedule: string } | { user: string };

const pageTitleSchema = z.string({ error: 'Say what the page is about, e.g. Checkout error rate above 5%' }).trim().min(3, 'Give the page a title of at least 3 characters').max(200, 'Keep the title under 200 characters');

export const pageInputSchema = z.object({
  title: pageTitleSchema,
  details: z.string({ error: 'details is text' }).trim().max(4_000, 'Keep the details under 4,000 characters').optional(),
  target: pageTargetSchema,
  incidentNumber: z.number({ error: 'incidentNumber is the number of an incident, e.g. 42' }).int('incidentNumber is a whole number, e.g. 42').positive('incidentNumber is a whole number, e.g. 42').max(999_999_999).optional(),
});
export type PageInput = z.input<typeof pageInputSchema>;

/** "Page…" from an incident: the title comes from the incident. */
export const incidentPageInputSchema = z.object({
  target: pageTargetSchema,
  message: z.string({ error: 'message is text' }).trim().max(4_000, 'Keep the message under 4,000 characters').optional(),
});
export type IncidentPageInput = z.input<typeof incidentPageInputSchema>;

export const pagesQuerySchema = z.object({ status: z.enum(pageStatuses, { error: `status is ${pageStatuses.join(', ')}` }).optional() });

/** `pending` includes retries (`error` then says what the last attempt got); `cancelled`: its delay had not passed when the page was acknowledged or resolved. */
export const notificationStatuses = ['pending', 'sent', 'failed', 'cancelled'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

export const pageNotificationSchema = z.object({
  id: z.uuid(),
  // When it was sent (or failed for good); until then, when it is due.
  at: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  level: z.number().int(),
  cycle: z.number().int(),
  user: z.object({ email: z.string(), name: z.string() }),
  kind: z.enum(contactKinds),
  label: z.string().nullable(),
  status: z.enum(notificationStatuses),
  attempts: z.number().int(),
  error: z.string().nullable(),
});
export type PageNotificationDto = z.infer<typeof pageNotificationSchema>;

const personRef = z.object({ email: z.string(), name: z.string() });

export const pageSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    details: z.string().nullable(),
    status: z.enum(pageStatuses),
    // 1-based.
    level: z.number().int(),
    // Which run through the levels (1-based; a policy with repeat 1 runs twice).
    cycle: z.number().int(),
    levels: z.number().int(),
    cycles: z.number().int(),
    target: z.union([z.object({ policy: z.string(), name: z.string().nullable() }), z.object({ schedule: z.string(), name: z.string().nullable() }), z.object({ user: z.string(), name: z.string().nullable() })]),
    incident: z.object({ number: z.number().int(), key: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
    triggeredBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    source: z.string().nullable(),
    acknowledgedAt: z.iso.datetime().nullable(),
    acknowledgedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    resolvedBy: personRef.nullable(),
    // When the next level is notified if nobody acknowledges; null when none is left or the page stopped.
    nextEscalationAt: z.iso.datetime().nullable(),
    // When the last level's wait ran out with nobody acknowledging.
    exhaustedAt: z.iso.datetime().nullable(),
    // Targets nobody could be reached through (no contact method, nobody on call).
    gaps: z.array(z.object({ level: z.number().int(), cycle: z.number().int(), email: z.string().optional(), scheduleId: z.string().optional(), reason: z.string() })),
    notifications: z.array(pageNotificationSchema),
    url: z.string(),
  })
  .meta({ id: 'Page' });
export type PageDto = z.infer<typeof pageSchema>;
export type PageGap = PageDto['gaps'][number];

export const reassignInputSchema = z.object({ target: pageTargetSchema });
export type ReassignInput = z.input<typeof reassignInputSchema>;

/** Who is on call now and next in a schedule, for /oncall and GET /api/v1/oncall. */
export const scheduleOnCallSchema = z
  .object({
    schedule: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
    now: z.array(personRef),
    until: z.iso.datetime().nullable(),
    next: z.object({ email: z.string(), name: z.string(), start: z.iso.datetime(), end: z.iso.datetime() }).nullable(),
  })
  .meta({ id: 'ScheduleOnCall' });

export const calendarFeedInputSchema = z.object({
  scheduleId: z.uuid({ error: 'scheduleId is the id of a schedule (from GET /api/v1/schedules); leave it out for your own shifts' }).optional(),
  rotate: z.boolean({ error: 'rotate is true (make a new secret URL; the old one stops working) or false' }).optional(),
});
export type CalendarFeedInput = z.input<typeof calendarFeedInputSchema>;

export const calendarFeedSchema = z
  .object({ url: z.string(), scheduleId: z.uuid().nullable(), createdAt: z.iso.datetime() })
  .meta({ id: 'CalendarFeed' });
export type CalendarFeedDto = z.infer<typeof calendarFeedSchema>;
