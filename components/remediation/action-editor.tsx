'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createRemediationAction, previewRemediationAction, updateRemediationAction } from '@/lib/remediation/actions';
import type { ActionDto, ActionInput, ActionParameter, ActionPreview } from '@/lib/remediation/schema';
import { TEMPLATE_VARIABLES } from '@/lib/remediation/template';

type Header = { key: number; name: string; value: string; secret: boolean; stored: boolean; hint?: string | null };
type Parameter = ActionParameter & { key: number };

let nextKey = 1;
const key = () => nextKey++;

const splitList = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

const labelClasses = 'block text-xs font-medium text-zinc-600 dark:text-zinc-400';
const errorClasses = 'mt-0.5 text-xs text-red-600 dark:text-red-400';

const EXAMPLE_TEMPLATE = `{
  "incident": "{{incident.key}}",
  "severity": "{{incident.severity}}",
  "requestedBy": "{{actor.email}}",
  "idempotencyKey": "{{delivery.id}}"
}`;

function FieldError({ id, message }: { id: string; message?: string }) {
  return (
    <p id={id} aria-live="polite" className={`${errorClasses} empty:hidden`}>
      {message}
    </p>
  );
}

/**
 * Settings → Remediation actions → new / edit. Everything is checked on the server when saved
 * (destination guard, template with line and column); "Test" renders what firing would send.
 */
export function ActionEditor({ action }: { action?: ActionDto }) {
  const router = useRouter();
  const { run, pending, fieldErrors, errorBesides, done: saved } = useServerAction();
  const [name, setName] = useState(action?.name ?? '');
  const [description, setDescription] = useState(action?.description ?? '');
  const [services, setServices] = useState((action?.services ?? []).join(', '));
  const [tags, setTags] = useState((action?.tags ?? []).join(', '));
  const [url, setUrl] = useState(action?.url ?? '');
  const [method, setMethod] = useState(action?.method ?? 'POST');
  const [headers, setHeaders] = useState<Header[]>(() => (action?.headers ?? []).map((h) => ({ key: key(), name: h.name, value: '', secret: h.secret, stored: true, hint: h.hint })));
  const [bodyTemplate, setBodyTemplate] = useState(action?.bodyTemplate ?? '');
  const [timeoutSeconds, setTimeoutSeconds] = useState(String((action?.timeoutMs ?? 10_000) / 1000));
  const [maxAttempts, setMaxAttempts] = useState(String(action?.maxAttempts ?? 5));
  const [requiresConfirmation, setRequiresConfirmation] = useState(action?.requiresConfirmation ?? false);
  const [minRole, setMinRole] = useState<'responder' | 'admin'>(action?.minRole ?? 'responder');
  const [parameters, setParameters] = useState<Parameter[]>(() => (action?.parameters ?? []).map((p) => ({ ...p, key: key() })));
  const [version, setVersion] = useState(action?.version ?? 0);
  const [testIncident, setTestIncident] = useState('');
  const [samples, setSamples] = useState<Record<string, string>>({});

  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);
  const [preview, setPreview] = useState<ActionPreview | null>(null);

  function input(): ActionInput {
    const seconds = Number(timeoutSeconds);
    return {
      name,
      description,
      services: splitList(services),
      tags: splitList(tags),
      url,
      method,
      // A stored secret left empty keeps its value: the browser never had it.
      headers: headers.map((h) => (h.stored && h.value === '' ? { name: h.name, secret: true } : { name: h.name, value: h.value, secret: h.secret })),
      bodyTemplate: bodyTemplate.trim() ? bodyTemplate : null,
      timeoutMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : Number.NaN,
      maxAttempts: Number(maxAttempts),
      requiresConfirmation,
      minRole,
      parameters: parameters.map(({ key: _key, ...p }) => p),
    };
  }

  // A list's message, whether it is about the list or one of its entries.
  const listError = (field: string) => fieldErrors[field] ?? Object.entries(fieldErrors).find(([path]) => path.startsWith(`${field}.`))?.[1];
  // Fields that show their own message; the rest is said at the bottom.
  const error = errorBesides((path) => ['name', 'url', 'bodyTemplate', 'timeoutMs', 'maxAttempts', 'method'].includes(path) || /^(headers|parameters|services|tags)(\.\d+)?/.test(path));

  function test() {
    setPreview(null);
    const sampleParameters = Object.fromEntries(Object.entries(samples).filter(([, v]) => v !== ''));
    run(() => previewRemediationAction(null, { ...input(), id: action?.id, incidentNumber: testIncident ? Number(testIncident) : undefined, sampleParameters }), (data) => setPreview(data));
  }

  function save() {
    // A test render from before the save would say the refusal a second time.
    setPreview(null);
    if (action) {
      run(
        () => updateRemediationAction(null, { ...input(), id: action.id, version }),
        (data) => {
          setVersion(data.version);
          setHeaders(data.headers.map((h) => ({ key: key(), name: h.name, value: '', secret: h.secret, stored: true, hint: h.hint })));
          router.refresh();
          return `Saved “${data.name}” (version ${data.version}).`;
        },
      );
    } else {
      run(() => createRemediationAction(null, input()), (data) => setSecret({ id: data.action.id, value: data.signingSecret }));
    }
  }

  if (secret) {
    return (
      <div role="status" className="space-y-3 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-900 dark:bg-emerald-950">
        <p className="font-medium text-emerald-900 dark:text-emerald-200">“{name}” is saved. Copy its signing secret now: it will not be shown again.</p>
        <p className="text-emerald-900 dark:text-emerald-200">Your receiver verifies the <code>webhook-signature</code> header with it (any Standard Webhooks library).</p>
        <div className="flex items-center gap-2">
          <code data-testid="signing-secret" className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
            {secret.value}
          </code>
          <Button variant="secondary" onClick={() => navigator.clipboard.writeText(secret.value)}>
            Copy
          </Button>
        </div>
        <div className="flex gap-2">
          <Link href="/settings/remediation" className={buttonClasses('primary')}>
            Done
          </Link>
          <Link href={`/settings/remediation/${secret.id}`} className={buttonClasses('secondary')}>
            Edit it
          </Link>
        </div>
      </div>
    );
  }

  const variables = [...TEMPLATE_VARIABLES.map((v) => ({ name: v.name, description: v.description })), ...parameters.filter((p) => p.name).map((p) => ({ name: `params.${p.name}`, description: `The ${p.type} filled in when firing${p.required ? '' : ' (null when left empty)'}` }))];

  return (
    <form
      aria-label={action ? `Edit ${action.name}` : 'New remediation action'}
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="grid grid-cols-1 gap-3 md:grid-cols-[1fr_8rem]">
        <label className={labelClasses}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} aria-invalid={Boolean(fieldErrors.name) || undefined} aria-describedby="action-name-error" className={`${inputClasses} mt-1`} placeholder="Restart checkout pods" />
          <FieldError id="action-name-error" message={fieldErrors.name} />
        </label>
        <label className={labelClasses}>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value)} className={`${inputClasses} mt-1`}>
            {['POST', 'PUT', 'PATCH', 'DELETE', 'GET'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className={`${labelClasses} md:col-span-2`}>
          URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} required aria-invalid={Boolean(fieldErrors.url) || undefined} aria-describedby="action-url-error" className={`${inputClasses} mt-1 font-mono`} placeholder="https://deploy.example.com/hooks/restart" />
          <FieldError id="action-url-error" message={fieldErrors.url} />
          {!fieldErrors.url ? <span className="mt-0.5 block font-normal text-zinc-500">Internal addresses are refused unless the host is in SITREP_WEBHOOK_ALLOW_HOSTS.</span> : null}
        </label>
        <label className={`${labelClasses} md:col-span-2`}>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} className={`${inputClasses} mt-1`} placeholder="What it does, and when to use it" />
        </label>
        <label className={labelClasses}>
          For services (comma-separated)
          <input value={services} onChange={(e) => setServices(e.target.value)} aria-describedby="action-services-error" className={`${inputClasses} mt-1`} placeholder="checkout, payments-api" />
          <FieldError id="action-services-error" message={listError('services')} />
        </label>
        <label className={labelClasses}>
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} aria-describedby="action-tags-error" className={`${inputClasses} mt-1`} placeholder="rollback, database" />
          <FieldError id="action-tags-error" message={listError('tags')} />
        </label>
        <p className="text-xs text-zinc-500 md:col-span-2">On an incident, actions for its services, for its runbooks’ tags, or linked from its runbook steps are listed first.</p>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Headers</legend>
        <p className="text-xs text-zinc-500">Every value is encrypted at rest and never shown again (only its last characters, to tell them apart); leave a stored value empty to keep it. Secret also hides it while you type and in Test.</p>
        {headers.map((header, i) => (
          <div key={header.key} className="grid grid-cols-1 gap-2 sm:grid-cols-[12rem_1fr_auto_auto] sm:items-center">
            <input aria-label={`Header ${i + 1} name`} value={header.name} onChange={(e) => setHeaders((all) => all.map((h) => (h.key === header.key ? { ...h, name: e.target.value } : h)))} className={`${inputClasses} font-mono text-xs`} placeholder="Authorization" />
            <input
              aria-label={`Header ${i + 1} value`}
              type={header.secret ? 'password' : 'text'}
              autoComplete="off"
              value={header.value}
              onChange={(e) => setHeaders((all) => all.map((h) => (h.key === header.key ? { ...h, value: e.target.value } : h)))}
              className={`${inputClasses} font-mono text-xs`}
              placeholder={header.stored ? `stored ${header.hint ?? '•••'}; type to replace` : 'Bearer …'}
            />
            <label className="inline-flex items-center gap-1 text-xs">
              <input type="checkbox" checked={header.secret} disabled={header.stored && header.value === ''} onChange={(e) => setHeaders((all) => all.map((h) => (h.key === header.key ? { ...h, secret: e.target.checked } : h)))} />
              Secret
            </label>
            <Button variant="ghost" className="px-2 text-xs" aria-label={`Remove header ${header.name || i + 1}`} onClick={() => setHeaders((all) => all.filter((h) => h.key !== header.key))}>
              Remove
            </Button>
            {fieldErrors[`headers.${i}.name`] ? <p className={`${errorClasses} sm:col-span-4`}>{fieldErrors[`headers.${i}.name`]}</p> : null}
          </div>
        ))}
        {fieldErrors.headers ? <p className={errorClasses}>{fieldErrors.headers}</p> : null}
        <Button variant="secondary" className="text-xs" onClick={() => setHeaders((all) => [...all, { key: key(), name: '', value: '', secret: false, stored: false }])}>
          Add header
        </Button>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Parameters</legend>
        <p className="text-xs text-zinc-500">Filled in by the person firing it (e.g. replicas, version), checked by type, and available as {'{{params.<name>}}'}.</p>
        {parameters.map((parameter, i) => (
          <div key={parameter.key} className="grid grid-cols-1 gap-2 sm:grid-cols-[10rem_7rem_1fr_auto_auto] sm:items-center">
            <input aria-label={`Parameter ${i + 1} name`} value={parameter.name} onChange={(e) => setParameters((all) => all.map((p) => (p.key === parameter.key ? { ...p, name: e.target.value } : p)))} className={`${inputClasses} font-mono text-xs`} placeholder="replicas" />
            <select aria-label={`Parameter ${i + 1} type`} value={parameter.type} onChange={(e) => setParameters((all) => all.map((p) => (p.key === parameter.key ? { ...p, type: e.target.value as ActionParameter['type'] } : p)))} className={`${inputClasses} text-xs`}>
              <option value="string">text</option>
              <option value="number">number</option>
              <option value="boolean">true/false</option>
            </select>
            <input aria-label={`Parameter ${i + 1} description`} value={parameter.description} onChange={(e) => setParameters((all) => all.map((p) => (p.key === parameter.key ? { ...p, description: e.target.value } : p)))} className={`${inputClasses} text-xs`} placeholder="Hint shown when firing" />
            <label className="inline-flex items-center gap-1 text-xs">
              <input type="checkbox" checked={parameter.required} onChange={(e) => setParameters((all) => all.map((p) => (p.key === parameter.key ? { ...p, required: e.target.checked } : p)))} />
              Required
            </label>
            <Button variant="ghost" className="px-2 text-xs" aria-label={`Remove parameter ${parameter.name || i + 1}`} onClick={() => setParameters((all) => all.filter((p) => p.key !== parameter.key))}>
              Remove
            </Button>
            {fieldErrors[`parameters.${i}.name`] ? <p className={`${errorClasses} sm:col-span-5`}>{fieldErrors[`parameters.${i}.name`]}</p> : null}
          </div>
        ))}
        <Button variant="secondary" className="text-xs" onClick={() => setParameters((all) => [...all, { key: key(), name: '', type: 'string', required: false, description: '' }])}>
          Add parameter
        </Button>
      </fieldset>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[1fr_18rem]">
        <label className={labelClasses}>
          Body template (JSON)
          <textarea
            value={bodyTemplate}
            onChange={(e) => setBodyTemplate(e.target.value)}
            rows={9}
            spellCheck={false}
            aria-invalid={Boolean(fieldErrors.bodyTemplate) || undefined}
            aria-describedby="action-body-error"
            className={`${inputClasses} mt-1 font-mono text-xs`}
            placeholder={`Empty sends the default body:\n{"type": "remediation.requested", "deliveryId", "incident", "action", "requestedBy"}\n\nExample:\n${EXAMPLE_TEMPLATE}`}
          />
          <FieldError id="action-body-error" message={fieldErrors.bodyTemplate} />
        </label>
        <div>
          <p className={labelClasses}>Variables</p>
          <ul className="mt-1 max-h-52 space-y-0.5 overflow-y-auto text-xs">
            {variables.map((v) => (
              <li key={v.name} title={v.description}>
                <code className="text-sky-700 dark:text-sky-400">{`{{${v.name}}}`}</code> <span className="text-zinc-500">{v.description}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-zinc-500">Values are written as JSON: inside quotes they are escaped; alone they are numbers or quoted strings.</p>
        </div>
      </div>

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <label className={labelClasses}>
          Timeout (seconds)
          <input type="number" min={1} max={30} step={0.5} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(e.target.value)} aria-describedby="action-timeout-error" className={`${inputClasses} mt-1`} />
          <FieldError id="action-timeout-error" message={fieldErrors.timeoutMs} />
        </label>
        <label className={labelClasses}>
          Max attempts
          <input type="number" min={1} max={10} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} aria-describedby="action-attempts-error" className={`${inputClasses} mt-1`} />
          <FieldError id="action-attempts-error" message={fieldErrors.maxAttempts} />
        </label>
        <label className={labelClasses}>
          Who may fire it
          <select value={minRole} onChange={(e) => setMinRole(e.target.value as 'responder' | 'admin')} className={`${inputClasses} mt-1`}>
            <option value="responder">Responders and admins</option>
            <option value="admin">Admins only</option>
          </select>
        </label>
        <label className="inline-flex items-center gap-2 self-end pb-1.5 text-sm">
          <input type="checkbox" checked={requiresConfirmation} onChange={(e) => setRequiresConfirmation(e.target.checked)} />
          Needs typed confirmation
        </label>
      </div>

      <div className="space-y-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex flex-wrap items-end gap-2">
          <label className={`${labelClasses} w-44`}>
            Test against incident #
            <input value={testIncident} onChange={(e) => setTestIncident(e.target.value.replace(/\D/g, ''))} inputMode="numeric" className={`${inputClasses} mt-1`} placeholder="newest open" />
          </label>
          {parameters
            .filter((p) => p.name)
            .map((p) => (
              <label key={p.key} className={`${labelClasses} w-36`}>
                {`Sample ${p.name}`}
                <input value={samples[p.name] ?? ''} onChange={(e) => setSamples((all) => ({ ...all, [p.name]: e.target.value }))} className={`${inputClasses} mt-1`} />
              </label>
            ))}
          <Button variant="secondary" onClick={test} disabled={pending}>
            Test
          </Button>
          <span className="pb-1.5 text-xs text-zinc-500">Renders exactly what would be sent. Nothing is sent.</span>
        </div>
        {preview ? <PreviewView preview={preview} /> : null}
      </div>

      <FormOutcome error={error} done={saved} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Working…' : action ? 'Save changes' : 'Create action'}
        </Button>
        <Link href="/settings/remediation" className={buttonClasses('ghost')}>
          {action ? 'Back to actions' : 'Cancel'}
        </Link>
      </div>
    </form>
  );
}

function PreviewView({ preview }: { preview: ActionPreview }) {
  return (
    <section aria-label="Test render" className="space-y-2 text-xs">
      {preview.destination.ok ? null : (
        <p role="alert" className="rounded bg-red-50 px-2 py-1 text-red-800 dark:bg-red-950 dark:text-red-200">
          Firing it now would fail: {preview.destination.reason}
        </p>
      )}
      <p className="text-zinc-500">{preview.incident ? `Rendered for ${preview.incident.key}.` : 'No open incident: rendered for a sample incident.'}</p>
      <pre className="overflow-x-auto rounded-md bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-100">
        <code data-testid="preview-request">
          {`${preview.method} ${preview.url}\n`}
          {preview.headers.map((h) => `${h.name}: ${h.value}\n`).join('')}
          {preview.body ? `\n${preview.body}` : ''}
        </code>
      </pre>
    </section>
  );
}
