'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { compactButton, compactInput } from '@/components/alerts/compact';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { testRouteAction, updateAlertSourceAction } from '@/lib/alerts/actions';
import type { RouteTest } from '@/lib/alerts/queries';
import type { RouteInput } from '@/lib/alerts/routing';
import type { AlertSourceDto } from '@/lib/alerts/schema';
import { samplePayload } from '@/lib/alerts/sender-config';

type Operator = '=' | '!=' | '=~';
type MatcherRow = { key: number; label: string; operator: Operator; value: string };
type RouteRow = { key: number; matchers: MatcherRow[]; policyId: string; severity: string; service: string; declare: boolean };
type MappingRow = { key: number; value: string; severity: string };

let nextKey = 1;
const key = () => nextKey++;

function toRows(routes: AlertSourceDto['routes']): RouteRow[] {
  return routes.map((route) => ({
    key: key(),
    // API notation: "value", "!value" or "~regex" (lib/alerts/matchers.ts, kept out of the browser bundle with its RE2 engine).
    matchers: Object.entries(route.match).map(([label, text]) => ({
      key: key(),
      label,
      operator: text.startsWith('!') ? '!=' : text.startsWith('~') ? '=~' : '=',
      value: /^[!~]/.test(text) ? text.slice(1) : text,
    })),
    policyId: route.policyId ?? '',
    severity: route.severity ?? '',
    service: route.service ?? '',
    declare: route.declare,
  }));
}

function toRoutes(rows: RouteRow[]): RouteInput[] {
  return rows.map((row) => ({
    match: Object.fromEntries(row.matchers.filter((m) => m.label.trim()).map((m) => [m.label.trim(), m.operator === '=' ? m.value : m.operator === '!=' ? `!${m.value}` : `~${m.value}`])),
    ...(row.policyId.trim() ? { policyId: row.policyId.trim() } : {}),
    ...(row.severity ? { severity: row.severity } : {}),
    ...(row.service.trim() ? { service: row.service.trim() } : {}),
    declare: row.declare,
  }));
}

const small = compactInput;

/**
 * A source's routes (tried in order, first match wins; an empty match catches the rest), its
 * severity mapping, and the Test route box, which routes a pasted payload through the routes as
 * edited, before they are saved.
 */
export function SourceEditor({ source, severities, policies }: { source: AlertSourceDto; severities: { key: string; name: string }[]; policies: { id: string; name: string }[] }) {
  const [name, setName] = useState(source.name);
  const [routes, setRoutes] = useState<RouteRow[]>(() => toRows(source.routes));
  const [mapping, setMapping] = useState<MappingRow[]>(() => Object.entries(source.severityMapping.values).map(([value, severity]) => ({ key: key(), value, severity })));
  const [fallback, setFallback] = useState(source.severityMapping.fallback);
  const save = useServerAction<AlertSourceDto>();
  const errors = save.fieldErrors;
  const errorsUnder = (prefix: string) => Object.entries(errors).filter(([path]) => path === prefix || path.startsWith(`${prefix}.`)).map(([, message]) => message);

  const update = (index: number, change: Partial<RouteRow>) => setRoutes((current) => current.map((route, i) => (i === index ? { ...route, ...change } : route)));
  const move = (index: number, by: number) =>
    setRoutes((current) => {
      const next = [...current];
      const [route] = next.splice(index, 1);
      next.splice(Math.max(0, Math.min(next.length, index + by)), 0, route!);
      return next;
    });

  return (
    <div className="space-y-4">
      <form
        aria-label="Routes"
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          const values = Object.fromEntries(mapping.filter((row) => row.value.trim()).map((row) => [row.value.trim(), row.severity]));
          // While the defaults are untouched they stay "the defaults" (and follow future defaults).
          const custom = source.customSeverityMapping || JSON.stringify(values) !== JSON.stringify(source.severityMapping.values) || fallback !== source.severityMapping.fallback;
          save.run(
            () => updateAlertSourceAction(null, { id: source.id, version: source.version, name, kind: source.kind, routes: toRoutes(routes), severityMapping: custom ? { values, fallback } : null }),
            () => 'Saved. New alerts follow these routes at once.',
          );
        }}
      >
        <label className="block max-w-sm text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={80} className={`${inputClasses} mt-1`} aria-invalid={Boolean(errors.name) || undefined} />
          {errors.name ? <span className="mt-1 block text-red-600 dark:text-red-400">{errors.name}</span> : null}
        </label>

        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Routes, tried in order (first match wins)</legend>
          {routes.length === 0 ? <p className="text-sm text-zinc-500">No routes: alerts are stored and shown, but page no one and declare nothing. Add a route with no matchers to catch every alert.</p> : null}
          <ol className="space-y-2">
            {routes.map((route, index) => (
              <li key={route.key} aria-label={`Route ${index + 1}`} className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="text-xs font-semibold">Route {index + 1}{route.matchers.length === 0 ? ' · catches every alert' : ''}</span>
                  <span className="flex gap-1">
                    <button type="button" className={compactButton('ghost')} disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move route ${index + 1} up`}>
                      ↑
                    </button>
                    <button type="button" className={compactButton('ghost')} disabled={index === routes.length - 1} onClick={() => move(index, 1)} aria-label={`Move route ${index + 1} down`}>
                      ↓
                    </button>
                    <button type="button" className={compactButton('ghost')} onClick={() => setRoutes((current) => current.filter((_, i) => i !== index))} aria-label={`Remove route ${index + 1}`}>
                      Remove
                    </button>
                  </span>
                </div>
                <div className="mt-1 space-y-1">
                  {route.matchers.map((matcher, m) => (
                    <div key={matcher.key} className="flex flex-wrap items-center gap-1">
                      <input
                        aria-label={`Route ${index + 1} matcher ${m + 1} label`}
                        value={matcher.label}
                        placeholder="label"
                        onChange={(event) => update(index, { matchers: route.matchers.map((x, i) => (i === m ? { ...x, label: event.target.value } : x)) })}
                        className={`${small} w-32 font-mono`}
                      />
                      <select
                        aria-label={`Route ${index + 1} matcher ${m + 1} operator`}
                        value={matcher.operator}
                        onChange={(event) => update(index, { matchers: route.matchers.map((x, i) => (i === m ? { ...x, operator: event.target.value as Operator } : x)) })}
                        className={`${small} w-16 font-mono`}
                      >
                        <option value="=">=</option>
                        <option value="!=">!=</option>
                        <option value="=~">=~</option>
                      </select>
                      <input
                        aria-label={`Route ${index + 1} matcher ${m + 1} value`}
                        value={matcher.value}
                        placeholder={matcher.operator === '=~' ? 'regex, e.g. db-.*' : 'value'}
                        onChange={(event) => update(index, { matchers: route.matchers.map((x, i) => (i === m ? { ...x, value: event.target.value } : x)) })}
                        className={`${small} min-w-32 flex-1 font-mono`}
                      />
                      <button type="button" className={compactButton('ghost')} onClick={() => update(index, { matchers: route.matchers.filter((_, i) => i !== m) })} aria-label={`Remove matcher ${m + 1} of route ${index + 1}`}>
                        ✕
                      </button>
                    </div>
                  ))}
                  <button type="button" className={compactButton('ghost')} onClick={() => update(index, { matchers: [...route.matchers, { key: key(), label: '', operator: '=', value: '' }] })}>
                    + Matcher
                  </button>
                </div>
                <div className="mt-2 grid gap-2 sm:grid-cols-4">
                  <label className="text-xs text-zinc-600 dark:text-zinc-400">
                    Severity
                    <select value={route.severity} onChange={(event) => update(index, { severity: event.target.value })} className={`${small} mt-0.5 w-full`}>
                      <option value="">From the alert (mapping)</option>
                      {severities.map((severity) => (
                        <option key={severity.key} value={severity.key}>
                          {severity.key} · {severity.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="text-xs text-zinc-600 dark:text-zinc-400">
                    Service
                    <input value={route.service} onChange={(event) => update(index, { service: event.target.value })} placeholder="From the alert" maxLength={80} className={`${small} mt-0.5 w-full`} />
                  </label>
                  <label className="text-xs text-zinc-600 dark:text-zinc-400">
                    Escalation policy
                    <select value={route.policyId} onChange={(event) => update(index, { policyId: event.target.value })} className={`${small} mt-0.5 w-full`}>
                      <option value="">None: pages no one</option>
                      {/* A policy deleted since the route was saved stays visible, so saving says what to fix. */}
                      {route.policyId && !policies.some((policy) => policy.id === route.policyId) ? <option value={route.policyId}>Deleted policy ({route.policyId.slice(0, 8)}…)</option> : null}
                      {policies.map((policy) => (
                        <option key={policy.id} value={policy.id}>
                          {policy.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="flex items-center gap-2 self-end pb-1 text-xs">
                    <input type="checkbox" checked={route.declare} onChange={(event) => update(index, { declare: event.target.checked })} />
                    Declare an incident
                  </label>
                </div>
                {errorsUnder(`routes.${index}`).map((message) => (
                  <p key={message} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
                    {message}
                  </p>
                ))}
              </li>
            ))}
          </ol>
          <button type="button" className={compactButton('secondary')} onClick={() => setRoutes((current) => [...current, { key: key(), matchers: [], policyId: '', severity: '', service: '', declare: false }])}>
            + Route
          </button>
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Severity mapping</legend>
          <p className="text-xs text-zinc-500">The alert’s <code>severity</code> or <code>priority</code> label (case-insensitive) to a Sitrep severity, unless its route sets one. A label already written as SEV2 is taken as it is.</p>
          <div className="grid gap-1 sm:grid-cols-3">
            {mapping.map((row, index) => (
              <div key={row.key} className="flex items-center gap-1">
                <input aria-label={`Mapped value ${index + 1}`} value={row.value} onChange={(event) => setMapping((current) => current.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))} className={`${small} w-28 font-mono`} />
                <span aria-hidden="true">→</span>
                <select aria-label={`Severity for ${row.value || `value ${index + 1}`}`} value={row.severity} onChange={(event) => setMapping((current) => current.map((r, i) => (i === index ? { ...r, severity: event.target.value } : r)))} className={`${small} w-24`}>
                  {severities.map((severity) => (
                    <option key={severity.key} value={severity.key}>
                      {severity.key}
                    </option>
                  ))}
                </select>
                <button type="button" className={compactButton('ghost')} onClick={() => setMapping((current) => current.filter((_, i) => i !== index))} aria-label={`Remove mapping of ${row.value || `value ${index + 1}`}`}>
                  ✕
                </button>
              </div>
            ))}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" className={compactButton('ghost')} onClick={() => setMapping((current) => [...current, { key: key(), value: '', severity: fallback }])}>
              + Value
            </button>
            <label className="text-xs text-zinc-600 dark:text-zinc-400">
              Anything else
              <select value={fallback} onChange={(event) => setFallback(event.target.value)} className={`${small} ml-1 inline-block w-24`}>
                {severities.map((severity) => (
                  <option key={severity.key} value={severity.key}>
                    {severity.key}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {errorsUnder('severityMapping').map((message) => (
            <p key={message} role="alert" className="text-xs text-red-600 dark:text-red-400">
              {message}
            </p>
          ))}
        </fieldset>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save routes'}
          </Button>
          <FormOutcome error={save.errorBesides((path) => path === 'name' || path.startsWith('routes.') || path.startsWith('severityMapping'))} done={save.done} />
        </div>
      </form>
      <TestRoute sourceId={source.id} kind={source.kind} routes={() => toRoutes(routes)} />
    </div>
  );
}

/** The Test route box: which route a pasted payload takes and why, through the routes as edited. */
function TestRoute({ sourceId, kind, routes }: { sourceId: string; kind: AlertSourceDto['kind']; routes: () => RouteInput[] }) {
  const [payload, setPayload] = useState(() => JSON.stringify(samplePayload(kind), null, 2));
  const test = useServerAction<RouteTest>();
  const result = test.result?.ok ? test.result.data : null;
  return (
    <section aria-label="Test route" className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <h3 className="text-sm font-semibold">Test route</h3>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          test.run(() => testRouteAction(null, { id: sourceId, payload, routes: routes() }));
        }}
      >
        <label htmlFor="test-route-payload" className="block text-xs text-zinc-600 dark:text-zinc-400">
          Paste a payload as the sender posts it; nothing is stored
        </label>
        <textarea id="test-route-payload" rows={8} value={payload} onChange={(event) => setPayload(event.target.value)} className={`${inputClasses} font-mono text-xs`} spellCheck={false} aria-describedby="test-route-payload-error" />
        <p id="test-route-payload-error" aria-live="polite" className="text-xs text-red-600 empty:hidden dark:text-red-400">
          {test.error}
        </p>
        <Button type="submit" variant="secondary" disabled={test.pending}>
          {test.pending ? 'Testing…' : 'Test route'}
        </Button>
      </form>
      {result ? (
        <div role="status" aria-label="Test route result" className="space-y-3 text-sm">
          {result.alerts.map((alert) => (
            <div key={alert.index} className="space-y-1">
              <p className="font-medium">
                Alert {alert.index + 1}: {alert.title ?? alert.fingerprint}
              </p>
              <p>{alert.routing.summary}</p>
              <ul className="space-y-0.5 text-xs">
                {alert.routing.steps.map((step) => (
                  <li key={step.index} className={step.outcome === 'matched' ? 'text-emerald-700 dark:text-emerald-400' : step.outcome === 'skipped' ? 'text-zinc-400' : 'text-zinc-600 dark:text-zinc-400'}>
                    {step.outcome === 'matched' ? '✓ ' : step.outcome === 'skipped' ? '· ' : '✗ '}
                    {step.reason}
                  </li>
                ))}
              </ul>
              {alert.silencedBy ? <p className="text-xs text-amber-700 dark:text-amber-400">Silenced now by “{alert.silencedBy.comment}”: it would page no one and declare nothing.</p> : null}
              <p className="text-xs text-zinc-500">Runbook: {alert.runbook ? alert.runbook.title : 'none'} ({alert.runbookReason}).</p>
            </div>
          ))}
          {result.rejected.map((rejected) => (
            <p key={rejected.index} className="text-xs text-red-600 dark:text-red-400">
              Alert {rejected.index + 1} could not be read: {rejected.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}
