'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import type { ActionResult } from '@/lib/platform/auth/action';
import { createTemplateAction, deleteTemplateAction, saveBrandingAction, updateTemplateAction } from '@/lib/communications/actions';
import type { Audience, Branding, TemplateDto } from '@/lib/communications/schema';
import type { TemplateSuggestion } from '@/lib/communications/suggestions';

const label = 'block text-xs font-medium text-zinc-600 dark:text-zinc-400';

function useSave() {
  const router = useRouter();
  const { run, pending, error, done } = useServerAction();
  function save<T>(action: () => Promise<ActionResult<T>>, message: string, after?: (data: T) => void) {
    run(action, (data) => {
      after?.(data);
      router.refresh();
      return message;
    });
  }
  return { pending, error, done, save };
}


/** One template, reworded in place; admin-defined ones can be deleted. */
export function TemplateForm({ template, canEdit }: { template: TemplateDto; canEdit: boolean }) {
  const [name, setName] = useState(template.name);
  const [audience, setAudience] = useState<Audience>(template.audience);
  const [body, setBody] = useState(template.body);
  const { pending, error, done, save } = useSave();
  return (
    <form
      aria-label={`Template ${template.name}`}
      className="space-y-2 py-3"
      onSubmit={(e) => {
        e.preventDefault();
        save(() => updateTemplateAction(null, { key: template.key, version: template.version, name, audience, body }), `Saved “${name}”.`);
      }}
    >
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
        <label className={label}>
          Name <span className="font-mono font-normal text-zinc-400">({template.key}{template.builtIn ? ', built in' : ''})</span>
          <input value={name} onChange={(e) => setName(e.target.value)} disabled={!canEdit} className={`${inputClasses} mt-1`} />
        </label>
        <label className={label}>
          Audience
          <select value={audience} onChange={(e) => setAudience(e.target.value as Audience)} disabled={!canEdit} className={`${inputClasses} mt-1`}>
            <option value="public">public</option>
            <option value="internal">internal</option>
          </select>
        </label>
        {canEdit ? (
          <div className="flex gap-1.5">
            <Button type="submit" variant="secondary" disabled={pending}>
              Save
            </Button>
            {!template.builtIn ? (
              <Button variant="danger" disabled={pending} aria-label={`Delete template ${template.name}`} onClick={() => save(() => deleteTemplateAction(null, { key: template.key }), 'Deleted.')}>
                Delete
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      <label className={label}>
        Text
        <textarea value={body} onChange={(e) => setBody(e.target.value)} disabled={!canEdit} rows={3} className={`${inputClasses} mt-1 font-mono text-xs`} />
      </label>
      <FormOutcome error={error} done={done} className="text-xs" />
    </form>
  );
}

/** A new template, optionally started from a message template found in an imported runbook. */
export function NewTemplateForm({ suggestions }: { suggestions: TemplateSuggestion[] }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [audience, setAudience] = useState<Audience>('public');
  const [body, setBody] = useState('');
  const { pending, error, done, save } = useSave();
  return (
    <form
      aria-label="New template"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save(() => createTemplateAction(null, { key, name, audience, body }), `Added “${name}”.`, () => {
          setKey('');
          setName('');
          setBody('');
        });
      }}
    >
      {suggestions.length ? (
        <label className={label}>
          Start from a message in your runbooks
          <select
            className={`${inputClasses} mt-1`}
            value=""
            onChange={(e) => {
              const s = suggestions[Number(e.target.value)];
              if (!s) return;
              setName(s.name.slice(0, 80));
              setKey(
                s.name
                  .toLowerCase()
                  .replace(/[^a-z0-9]+/g, '_')
                  .replace(/^_+|_+$/g, '')
                  .replace(/^[^a-z]+/, '')
                  .slice(0, 40) || 'message',
              );
              setBody(s.body);
            }}
          >
            <option value="">Choose a message ({suggestions.length} found)…</option>
            {suggestions.map((s, i) => (
              <option key={`${s.source}-${i}`} value={i}>
                {s.name} — {s.source}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-[10rem_1fr_10rem]">
        <label className={label}>
          Key
          <input value={key} onChange={(e) => setKey(e.target.value)} required placeholder="maintenance" className={`${inputClasses} mt-1 font-mono`} />
        </label>
        <label className={label}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="Planned maintenance" className={`${inputClasses} mt-1`} />
        </label>
        <label className={label}>
          Audience
          <select value={audience} onChange={(e) => setAudience(e.target.value as Audience)} className={`${inputClasses} mt-1`}>
            <option value="public">public</option>
            <option value="internal">internal</option>
          </select>
        </label>
      </div>
      <label className={label}>
        Text
        <textarea value={body} onChange={(e) => setBody(e.target.value)} required rows={4} className={`${inputClasses} mt-1 font-mono text-xs`} placeholder="We are carrying out maintenance on {{incident.services}}…" />
      </label>
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={pending}>
          Add template
        </Button>
        <FormOutcome error={error} done={done} className="text-xs" />
      </div>
    </form>
  );
}

export function BrandingForm({ branding, canEdit }: { branding: Branding; canEdit: boolean }) {
  const [title, setTitle] = useState(branding.title);
  const [logoUrl, setLogoUrl] = useState(branding.logoUrl);
  const [accentColor, setAccentColor] = useState(branding.accentColor);
  const { pending, error, done, save } = useSave();
  return (
    <form
      aria-label="Status page branding"
      className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_1fr_9rem_auto] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        save(() => saveBrandingAction(null, { title, logoUrl, accentColor }), 'Saved; the status page shows it now.');
      }}
    >
      <label className={label}>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} disabled={!canEdit} className={`${inputClasses} mt-1`} />
      </label>
      <label className={label}>
        Logo URL
        <input value={logoUrl} onChange={(e) => setLogoUrl(e.target.value)} disabled={!canEdit} placeholder="https://example.com/logo.svg" className={`${inputClasses} mt-1`} />
      </label>
      <label className={label}>
        Accent colour
        <span className="mt-1 flex gap-1">
          <input type="color" aria-label="Pick the accent colour" value={/^#[0-9a-f]{6}$/i.test(accentColor) ? accentColor : '#0369a1'} onChange={(e) => setAccentColor(e.target.value)} disabled={!canEdit} className="h-8 w-9 rounded border border-zinc-300 dark:border-zinc-700" />
          <input value={accentColor} onChange={(e) => setAccentColor(e.target.value)} disabled={!canEdit} className={`${inputClasses} font-mono`} />
        </span>
      </label>
      {canEdit ? (
        <Button type="submit" disabled={pending}>
          Save
        </Button>
      ) : null}
      <div className="sm:col-span-4">
        <FormOutcome error={error} done={done} className="text-xs" />
      </div>
    </form>
  );
}
