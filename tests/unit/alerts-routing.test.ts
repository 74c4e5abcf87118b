// Label matchers and alert routing: Alertmanager's matching semantics, regexes checked at save
// time and safe from catastrophic backtracking, first match wins, severity mapping, and the
// explanation the Test route box shows.
import { describe, expect, it } from 'vitest';
import { compileMatchers, matchesAll, matchValueProblem, parseMatchValue } from '@/lib/alerts/matchers';
import { chooseSeverity, compileRoutes, defaultSeverityMapping, explainRouting, routeAlert, routeSchema, routesSchema, severityMappingSchema, type RouteInput } from '@/lib/alerts/routing';
import { fieldErrorsFromZod } from '@/lib/platform/errors';

const matches = (match: Record<string, string>, labels: Record<string, string>) => matchesAll(compileMatchers(match), labels);
const routes = (input: RouteInput[]) => compileRoutes(routesSchema.parse(input));
const alert = (labels: Record<string, string>, extra: { severity?: string | null; service?: string | null } = {}) => ({ labels, severity: extra.severity ?? null, service: extra.service ?? null });
const POLICY_DB = '3f1e7a52-0c4b-4a57-9a47-8f0d3c2b1a10';
const POLICY_WEB = '7b2d9c41-5e6f-4a88-b1c2-d3e4f5a6b7c8';

describe('match values', () => {
  it('reads exact, !not-equal and ~regex', () => {
    expect(parseMatchValue('env', 'prod')).toEqual({ label: 'env', operator: 'equal', value: 'prod' });
    expect(parseMatchValue('env', '!prod')).toEqual({ label: 'env', operator: 'not-equal', value: 'prod' });
    expect(parseMatchValue('env', '~prod|staging')).toEqual({ label: 'env', operator: 'regex', value: 'prod|staging' });
  });

  it('compares exactly, case and all', () => {
    expect(matches({ env: 'prod' }, { env: 'prod' })).toBe(true);
    expect(matches({ env: 'prod' }, { env: 'Prod' })).toBe(false);
    expect(matches({ env: '!prod' }, { env: 'staging' })).toBe(true);
    expect(matches({ env: '!prod' }, { env: 'prod' })).toBe(false);
  });

  it('anchors regexes at both ends, like Alertmanager', () => {
    expect(matches({ env: '~prod|staging' }, { env: 'staging' })).toBe(true);
    expect(matches({ env: '~prod' }, { env: 'production' })).toBe(false);
    expect(matches({ env: '~prod.*' }, { env: 'production' })).toBe(true);
    expect(matches({ env: '~(?i)prod' }, { env: 'PROD' })).toBe(true);
    expect(matches({ instance: '~checkout-\\d+:9090' }, { instance: 'checkout-12:9090' })).toBe(true);
  });

  it('treats a missing label as the empty string, like Alertmanager', () => {
    expect(matches({ env: '!prod' }, {})).toBe(true);
    expect(matches({ env: '' }, {})).toBe(true);
    expect(matches({ env: '' }, { env: 'prod' })).toBe(false);
    expect(matches({ env: '~.*' }, {})).toBe(true);
    expect(matches({ env: '~.+' }, {})).toBe(false);
  });

  it('looks only at the alert’s own labels, never inherited properties', () => {
    expect(matches({ constructor: '' }, {})).toBe(true);
    expect(matches({ toString: '~.+' }, {})).toBe(false);
  });

  it('writes a literal leading ! or ~ as a regex', () => {
    expect(matches({ tag: '~!important' }, { tag: '!important' })).toBe(true);
    expect(matches({ tag: '~\\~home' }, { tag: '~home' })).toBe(true);
  });

  it('matches pathological patterns in linear time (RE2), so no route can freeze the server', () => {
    const started = performance.now();
    expect(matches({ a: '~(a+)+$' }, { a: `${'a'.repeat(2_048)}!` })).toBe(false);
    expect(matches({ a: '~(x+x+)+y' }, { a: 'x'.repeat(2_048) })).toBe(false);
    expect(matches({ a: '~(.*a){20}' }, { a: `${'a'.repeat(2_048)}!` })).toBe(false);
    const elapsed = performance.now() - started;
    console.info(`alerts-routing: three catastrophic-backtracking patterns over 2,048 characters in ${elapsed.toFixed(1)} ms`);
    // A backtracking engine needs longer than the age of the universe here; RE2 needs milliseconds.
    expect(elapsed).toBeLessThan(5_000);
  });

  it('explains what is wrong with a regex', () => {
    expect(matchValueProblem('prod')).toBeNull();
    expect(matchValueProblem('~prod|staging')).toBeNull();
    expect(matchValueProblem('~(foo')).toBe('"(foo" is not a valid regular expression (missing closing ): `(foo`); Sitrep uses RE2 syntax, like Alertmanager');
    // Would compile inside the anchoring group and silently mean something else.
    expect(matchValueProblem('~a)|(b')).toMatch(/^"a\)\|\(b" is not a valid regular expression \(unexpected \)/);
    expect(matchValueProblem('~(?=lookahead)')).toMatch(/is not a valid regular expression/);
    expect(matchValueProblem('~a{1001}')).toMatch(/invalid repeat count/);
    expect(matchValueProblem(`~${'a'.repeat(1_025)}`)).toBe('Keep regexes under 1,024 characters');
    expect(matchValueProblem(`!${'a'.repeat(1_025)}`)).toBe('Keep match values under 1,024 characters');
    expect(matchValueProblem('~[a-z]{1000}|[0-9]{1000}|[A-Z]{1000}|[_.]{1000}|[-+]{1000}|[:;]{1000}')).toMatch(/too costly to run on every alert \(size \d+, at most 5000\)/);
  });
});

describe('route schema', () => {
  it('fills in defaults: an empty match catches everything, declare is off', () => {
    expect(routeSchema.parse({})).toEqual({ match: {}, declare: false });
    expect(routeSchema.parse({ match: { env: 'prod' }, severity: 'sev2', service: ' checkout ', policyId: POLICY_DB, declare: true })).toEqual({
      match: { env: 'prod' },
      severity: 'SEV2',
      service: 'checkout',
      policyId: POLICY_DB,
      declare: true,
    });
  });

  it('names every invalid field at once', () => {
    const result = routesSchema.safeParse([{ match: { env: '~(prod', '': 'x' }, policyId: 'oncall', severity: 'P1', declare: 'yes' }]);
    expect(result.success).toBe(false);
    expect(fieldErrorsFromZod(result.error!)).toEqual([
      // The empty key is the last path segment.
      { path: '0.match.', message: 'Label names can’t be empty' },
      { path: '0.policyId', message: 'policyId names an escalation policy by its id' },
      { path: '0.severity', message: 'P1 is not a severity; use SEV1–SEV4' },
      { path: '0.declare', message: 'declare is true (declare an incident) or false (only page)' },
    ]);
    const regex = routesSchema.safeParse([{ match: { env: '~(prod' } }]);
    expect(fieldErrorsFromZod(regex.error!)).toEqual([{ path: '0.match.env', message: '"(prod" is not a valid regular expression (missing closing ): `(prod`); Sitrep uses RE2 syntax, like Alertmanager' }]);
  });

  it('refuses a catch-all that would hide the routes after it', () => {
    const result = routesSchema.safeParse([{ match: {} }, { match: { env: 'prod' } }]);
    expect(fieldErrorsFromZod(result.error!)).toEqual([{ path: '0.match', message: 'Route 1 matches every alert, so the 1 route(s) after it would never be used; move it to the end' }]);
    expect(routesSchema.safeParse([{ match: { env: 'prod' } }, { match: {} }]).success).toBe(true);
  });

  it('refuses matchers that are not strings', () => {
    const result = routeSchema.safeParse({ match: { env: 3 } });
    expect(fieldErrorsFromZod(result.error!)).toEqual([{ path: 'match.env', message: 'match values are strings: "value", "!value" or "~regex"' }]);
    expect(fieldErrorsFromZod(routeSchema.safeParse({ match: ['env'] }).error!)[0]!.message).toBe('match is an object of label → value, e.g. {"alertname": "HighLatency", "env": "~prod|staging"}');
  });
});

describe('routing', () => {
  const table = routes([
    { match: { team: 'db', env: 'prod' }, policyId: POLICY_DB, severity: 'SEV1', declare: true },
    { match: { service: '~checkout|payments' }, policyId: POLICY_WEB, service: 'checkout' },
    { match: {}, policyId: POLICY_WEB },
  ]);

  it('takes the first route whose matchers all match', () => {
    expect(routeAlert(alert({ team: 'db', env: 'prod', severity: 'warning' }), table)).toEqual({
      routeIndex: 0,
      policyId: POLICY_DB,
      severity: 'SEV1',
      severityFrom: 'the route',
      service: null,
      declare: true,
    });
    // team=db but env=staging: the first route needs both, so the default takes it.
    expect(routeAlert(alert({ team: 'db', env: 'staging' }), table).routeIndex).toBe(2);
  });

  it('lets the route’s service override the alert’s own', () => {
    expect(routeAlert(alert({ service: 'payments', severity: 'error' }, { service: 'payments' }), table)).toMatchObject({ routeIndex: 1, service: 'checkout', severity: 'SEV2', declare: false });
    expect(routeAlert(alert({}, { service: 'search' }), table)).toMatchObject({ routeIndex: 2, service: 'search' });
  });

  it('routes nowhere when no route matches and there is no catch-all', () => {
    expect(routeAlert(alert({ env: 'dev' }), routes([{ match: { env: 'prod' }, policyId: POLICY_DB }]))).toEqual({
      routeIndex: null,
      policyId: null,
      severity: 'SEV3',
      severityFrom: 'the default for alerts without a known severity',
      service: null,
      declare: false,
    });
  });

  it('routes 10,000 alerts quickly', () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) => alert({ alertname: 'Storm', service: i % 2 ? 'checkout' : 'search', instance: `host-${i}` }));
    const started = performance.now();
    const taken = alerts.map((a) => routeAlert(a, table).routeIndex);
    console.info(`alerts-routing: 10,000 alerts routed in ${(performance.now() - started).toFixed(0)} ms`);
    expect(taken.filter((index) => index === 1)).toHaveLength(5_000);
    expect(taken.filter((index) => index === 2)).toHaveLength(5_000);
  });
});

describe('severity mapping', () => {
  it('maps the severity label, then priority, then the sender’s own word', () => {
    expect(chooseSeverity(alert({ severity: 'critical' }), null)).toEqual({ severity: 'SEV1', from: 'label severity "critical"' });
    expect(chooseSeverity(alert({ severity: 'Error' }), null).severity).toBe('SEV2');
    expect(chooseSeverity(alert({ severity: 'high' }), null).severity).toBe('SEV2');
    expect(chooseSeverity(alert({ severity: 'warning' }), null).severity).toBe('SEV3');
    expect(chooseSeverity(alert({ severity: 'info' }), null).severity).toBe('SEV4');
    expect(chooseSeverity(alert({ severity: 'bananas', priority: 'P2' }), null)).toEqual({ severity: 'SEV2', from: 'label priority "P2"' });
    expect(chooseSeverity(alert({}, { severity: 'critical' }), null)).toEqual({ severity: 'SEV1', from: 'the sender’s severity "critical"' });
  });

  it('takes a value already written as a Sitrep severity as it is', () => {
    expect(chooseSeverity(alert({ severity: 'sev2' }), null)).toEqual({ severity: 'SEV2', from: 'label severity "sev2"' });
  });

  it('falls back for unknown words, inherited property names included', () => {
    expect(chooseSeverity(alert({ severity: 'constructor' }), null)).toEqual({ severity: 'SEV3', from: 'the default for alerts without a known severity' });
  });

  it('is data an admin edits, checked like any input', () => {
    const mapping = severityMappingSchema.parse({ values: { Disaster: 'sev1', Average: 'SEV3' }, fallback: 'SEV4' });
    expect(mapping).toEqual({ values: { disaster: 'SEV1', average: 'SEV3' }, fallback: 'SEV4' });
    expect(chooseSeverity(alert({ severity: 'Disaster' }), null, mapping).severity).toBe('SEV1');
    expect(chooseSeverity(alert({ severity: 'critical' }), null, mapping)).toEqual({ severity: 'SEV4', from: 'the default for alerts without a known severity' });
    const bad = severityMappingSchema.safeParse({ values: { critical: 'urgent' }, fallback: 'none' });
    expect(fieldErrorsFromZod(bad.error!)).toEqual([
      { path: 'values.critical', message: 'URGENT is not a severity; use SEV1–SEV4' },
      { path: 'fallback', message: 'NONE is not a severity; use SEV1–SEV4' },
    ]);
    expect(defaultSeverityMapping.values.critical).toBe('SEV1');
  });
});

describe('Test route: which route and why', () => {
  it('explains each route tried, the one taken and the ones skipped', () => {
    const table = routes([
      { match: { team: 'db', env: '~prod|staging' }, policyId: POLICY_DB, declare: true },
      { match: { service: 'checkout' }, policyId: POLICY_WEB, severity: 'SEV2' },
      { match: {} },
    ]);
    const explanation = explainRouting(alert({ alertname: 'HighLatency', team: 'web', service: 'checkout', severity: 'critical' }), table);
    expect(explanation.steps.map((step) => [step.outcome, step.reason])).toEqual([
      ['not-matched', 'Route 1 does not match: team="db", but the alert has team="web"; env=~"prod|staging", but the alert has no env label.'],
      ['matched', 'Route 2 matches: service="checkout" ✓.'],
      ['skipped', 'Route 3 was not tried: route 2 matched first.'],
    ]);
    expect(explanation.steps[0]!.checks).toEqual([
      { label: 'team', operator: 'equal', value: 'db', actual: 'web', matched: false, text: 'team="db"' },
      { label: 'env', operator: 'regex', value: 'prod|staging', actual: null, matched: false, text: 'env=~"prod|staging"' },
    ]);
    expect(explanation.decision).toMatchObject({ routeIndex: 1, policyId: POLICY_WEB, severity: 'SEV2', declare: false, service: null });
    expect(explanation.summary).toBe(`Route 2 (service="checkout") takes it: it pages escalation policy ${POLICY_WEB} and is SEV2 (severity from the route).`);
  });

  it('says when the catch-all takes it, and when nothing does', () => {
    const caught = explainRouting(alert({ severity: 'warning' }), routes([{ match: { env: 'prod' } }, { match: {}, policyId: POLICY_WEB, declare: true }]));
    expect(caught.steps[1]!.reason).toBe('Route 2 matches every alert (its match is empty).');
    expect(caught.summary).toBe(`Route 2 (every alert) takes it: it pages escalation policy ${POLICY_WEB} and declares a SEV3 incident (severity from label severity "warning").`);

    const none = explainRouting(alert({ env: 'dev' }), routes([{ match: { env: 'prod' } }]));
    expect(none.summary).toBe('No route matches: the alert is stored as SEV3 (the default for alerts without a known severity) but pages no one and declares nothing. Add a route with an empty match at the end to catch the rest.');
    expect(explainRouting(alert({}), []).summary).toMatch(/^This source has no routes:/);
  });
});
