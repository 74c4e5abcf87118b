// Where an alert goes (API.md "Route"): a source's routes are tried in order and the first whose
// matchers all match wins; a route with an empty `match` catches everything, so it belongs last
// as the default. The winning route names the escalation policy to page, may override the
// severity and service, and says whether to declare an incident or only page. Severity otherwise
// comes from the alert's `severity`/`priority` label through an editable mapping.
import { z } from 'zod';
import { checkMatchers, compileMatchers, describeMatcher, matcherSetSchema, matchesAll, type CompiledMatcher, type MatcherCheck } from '@/lib/alerts/matchers';
import type { NormalisedAlert } from '@/lib/alerts/payloads/common';
import { severityKeySchema } from '@/lib/incidents/schema';

export const MAX_ROUTES = 100;

export const routeSchema = z.object(
  {
    match: matcherSetSchema('match').default({}),
    policyId: z.uuid({ error: 'policyId names an escalation policy by its id' }).optional(),
    severity: severityKeySchema.optional(),
    service: z.string({ error: 'service is a service name' }).trim().min(1, 'service can’t be empty; leave it out instead').max(80, 'Keep service names under 80 characters').optional(),
    declare: z.boolean({ error: 'declare is true (declare an incident) or false (only page)' }).default(false),
  },
  { error: 'A route is an object: {match, policyId?, severity?, service?, declare?}' },
);
export type Route = z.output<typeof routeSchema>;
export type RouteInput = z.input<typeof routeSchema>;

export const routesSchema = z
  .array(routeSchema, { error: 'routes is a list of routes, tried in order' })
  .max(MAX_ROUTES, `A source has at most ${MAX_ROUTES} routes`)
  .superRefine((routes, ctx) => {
    // A catch-all before other routes makes them unreachable: almost certainly a mistake.
    const catchAll = routes.findIndex((route) => Object.keys(route.match).length === 0);
    if (catchAll !== -1 && catchAll < routes.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: [catchAll, 'match'],
        message: `Route ${catchAll + 1} matches every alert, so the ${routes.length - 1 - catchAll} route(s) after it would never be used; move it to the end`,
      });
    }
  });

// ---- Severity mapping -------------------------------------------------------------------------

export type SeverityMapping = {
  /** Lower-case label value → Sitrep severity. */
  values: Record<string, string>;
  /** For alerts whose severity is missing or unknown. */
  fallback: string;
};

/** Sensible defaults for Prometheus, Grafana, PagerDuty and P1–P5 priorities; admins edit them as data. */
export const defaultSeverityMapping: SeverityMapping = {
  values: {
    critical: 'SEV1',
    p1: 'SEV1',
    error: 'SEV2',
    high: 'SEV2',
    major: 'SEV2',
    p2: 'SEV2',
    warning: 'SEV3',
    warn: 'SEV3',
    medium: 'SEV3',
    minor: 'SEV3',
    p3: 'SEV3',
    info: 'SEV4',
    low: 'SEV4',
    p4: 'SEV4',
    p5: 'SEV4',
  },
  fallback: 'SEV3',
};

export const severityMappingSchema = z.object({
  values: z
    .record(z.string().trim().min(1, 'A mapped label value can’t be empty').max(40, 'Keep mapped values under 40 characters'), severityKeySchema)
    .refine((values) => Object.keys(values).length <= 100, 'Map at most 100 label values')
    .transform((values) => Object.fromEntries(Object.entries(values).map(([key, severity]) => [key.toLowerCase(), severity]))),
  fallback: severityKeySchema,
});

export type SeverityChoice = { severity: string; from: string };

/**
 * The alert's Sitrep severity: the route's if it sets one, else the first of the alert's
 * `severity` label, `priority` label, or the sender's own severity field that the mapping knows
 * (a value already written as `SEV2` is taken as it is), else the mapping's fallback.
 */
export function chooseSeverity(alert: Pick<NormalisedAlert, 'labels' | 'severity'>, route: Route | null, mapping: SeverityMapping = defaultSeverityMapping): SeverityChoice {
  if (route?.severity) return { severity: route.severity, from: 'the route' };
  const candidates: [string | null | undefined, string][] = [
    [alert.labels.severity, 'label severity'],
    [alert.labels.priority, 'label priority'],
    [alert.severity, 'the sender’s severity'],
  ];
  for (const [value, where] of candidates) {
    const word = value?.trim();
    if (!word) continue;
    if (/^sev\d+$/i.test(word)) return { severity: word.toUpperCase(), from: `${where} ${JSON.stringify(word)}` };
    const key = word.toLowerCase();
    const mapped = Object.hasOwn(mapping.values, key) ? mapping.values[key] : undefined;
    if (mapped) return { severity: mapped, from: `${where} ${JSON.stringify(word)}` };
  }
  return { severity: mapping.fallback, from: 'the default for alerts without a known severity' };
}

// ---- Routing ----------------------------------------------------------------------------------

export type CompiledRoute = { index: number; route: Route; matchers: CompiledMatcher[] };

/** Compile once per source (regexes included), then route every alert of a batch. */
export function compileRoutes(routes: Route[]): CompiledRoute[] {
  return routes.map((route, index) => ({ index, route, matchers: compileMatchers(route.match) }));
}

export type RoutableAlert = Pick<NormalisedAlert, 'labels' | 'severity' | 'service'>;

export type RouteDecision = {
  /** 0-based index of the route taken; null when no route matched (no catch-all). */
  routeIndex: number | null;
  policyId: string | null;
  severity: string;
  severityFrom: string;
  service: string | null;
  declare: boolean;
};

export function routeAlert(alert: RoutableAlert, routes: CompiledRoute[], mapping: SeverityMapping = defaultSeverityMapping): RouteDecision {
  const taken = routes.find((route) => matchesAll(route.matchers, alert.labels)) ?? null;
  return decide(alert, taken, mapping);
}

function decide(alert: RoutableAlert, taken: CompiledRoute | null, mapping: SeverityMapping): RouteDecision {
  const route = taken?.route ?? null;
  const severity = chooseSeverity(alert, route, mapping);
  return {
    routeIndex: taken?.index ?? null,
    policyId: route?.policyId ?? null,
    severity: severity.severity,
    severityFrom: severity.from,
    service: route?.service ?? alert.service ?? null,
    declare: route?.declare ?? false,
  };
}

export type RouteStep = {
  index: number;
  /** `matched`/`not-matched`: its matchers were compared; `skipped`: an earlier route had already won. */
  outcome: 'matched' | 'not-matched' | 'skipped';
  catchAll: boolean;
  checks: MatcherCheck[];
  /** One sentence for people. */
  reason: string;
};

export type RouteExplanation = { decision: RouteDecision; steps: RouteStep[]; summary: string };

/** Which route an alert takes and why, route by route: what the Test route box shows. */
export function explainRouting(alert: RoutableAlert, routes: CompiledRoute[], mapping: SeverityMapping = defaultSeverityMapping): RouteExplanation {
  let taken: CompiledRoute | null = null;
  const steps: RouteStep[] = routes.map((compiled) => {
    const catchAll = compiled.matchers.length === 0;
    const name = `Route ${compiled.index + 1}`;
    if (taken) return { index: compiled.index, outcome: 'skipped', catchAll, checks: [], reason: `${name} was not tried: route ${taken.index + 1} matched first.` };
    const checks = checkMatchers(compiled.matchers, alert.labels);
    const failed = checks.filter((check) => !check.matched);
    if (failed.length === 0) {
      taken = compiled;
      const reason = catchAll ? `${name} matches every alert (its match is empty).` : `${name} matches: ${checks.map((check) => `${check.text} ✓`).join(', ')}.`;
      return { index: compiled.index, outcome: 'matched', catchAll, checks, reason };
    }
    const why = failed.map((check) => `${check.text}, but the alert has ${check.actual === null ? `no ${check.label} label` : `${check.label}=${JSON.stringify(check.actual)}`}`);
    return { index: compiled.index, outcome: 'not-matched', catchAll, checks, reason: `${name} does not match: ${why.join('; ')}.` };
  });
  const decision = decide(alert, taken, mapping);
  return { decision, steps, summary: summarise(decision, routes) };
}

function summarise(decision: RouteDecision, routes: CompiledRoute[]): string {
  if (decision.routeIndex === null) {
    const none = routes.length === 0 ? 'This source has no routes' : 'No route matches';
    return `${none}: the alert is stored as ${decision.severity} (${decision.severityFrom}) but pages no one and declares nothing. Add a route with an empty match at the end to catch the rest.`;
  }
  const route = routes[decision.routeIndex]!;
  const matchText = route.matchers.length ? route.matchers.map(describeMatcher).join(', ') : 'every alert';
  const action = decision.declare ? `declares a ${decision.severity} incident` : `is ${decision.severity}`;
  const page = decision.policyId ? `pages escalation policy ${decision.policyId}` : 'pages no one (the route names no escalation policy)';
  return `Route ${decision.routeIndex + 1} (${matchText}) takes it: it ${page} and ${action} (severity from ${decision.severityFrom})${decision.service ? `, service ${decision.service}` : ''}.`;
}
