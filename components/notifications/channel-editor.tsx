'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createNotificationChannel, updateNotificationChannel } from '@/lib/notifications/actions';
import type { ChannelDto, ChannelInput } from '@/lib/notifications/schema';
import { channelKinds, eventDescriptions, kindNames, notificationEvents, type ChannelKind, type NotificationEvent } from '@/lib/notifications/vocabulary';

type Severity = { key: string; name: string };

const labelClasses = 'block text-xs font-medium text-zinc-600 dark:text-zinc-400';
const errorClasses = 'mt-0.5 text-xs text-red-600 empty:hidden dark:text-red-400';
const PLACED = ['name', 'kind', 'target', 'events', 'severities'];

const targetHelp: Record<ChannelKind, { label: string; placeholder: string; hint: string }> = {
  slack: {
    label: 'Incoming-webhook URL',
    placeholder: 'https://hooks.slack.com/services/T…/B…/…',
    hint: 'In Slack: Apps → Incoming Webhooks → Add to a channel, then paste its URL. Stored encrypted; only its end is shown again.',
  },
  teams: {
    label: 'Incoming-webhook URL',
    placeholder: 'https://…webhook.office.com/… or a Workflows URL',
    hint: 'In Teams: the channel’s Workflows → “Post to a channel when a webhook request is received”, then paste its URL. Stored encrypted.',
  },
  webhook: {
    label: 'URL',
    placeholder: 'https://alerts.example.com/sitrep',
    hint: 'Sitrep POSTs JSON: {"id", "type": "incident.declared", "incident": {number, key, title, severity, status, services, url}, "occurredAt"}. Stored encrypted.',
  },
  email: {
    label: 'E-mail addresses',
    placeholder: 'oncall@example.com, sre-leads@example.com',
    hint: 'Comma-separated. Sent as plain text through the SMTP server in SITREP_SMTP_URL.',
  },
};

/** Settings → Notifications → new / edit. The server checks everything again when saved. */
export function ChannelEditor({ channel, severities, smtpConfigured }: { channel?: ChannelDto; severities: Severity[]; smtpConfigured: boolean }) {
  const router = useRouter();
  const { run, pending, fieldErrors, errorBesides, done: saved } = useServerAction();
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'slack');
  const [target, setTarget] = useState('');
  const [events, setEvents] = useState<NotificationEvent[]>(channel?.events ?? ['declared', 'severity_raised', 'resolved']);
  const [chosenSeverities, setChosenSeverities] = useState<string[]>(channel?.severities ?? []);
  const [version, setVersion] = useState(channel?.version ?? 0);

  const help = targetHelp[kind];
  const keepsTarget = Boolean(channel) && kind === channel?.kind;

  function input(): ChannelInput {
    return { name, kind, target: target.trim() ? target : undefined, events, severities: chosenSeverities };
  }

  const error = errorBesides((path) => PLACED.some((placed) => path === placed || path.startsWith(`${placed}.`)));

  function save() {
    if (channel) {
      run(
        () => updateNotificationChannel(null, { ...input(), id: channel.id, version }),
        (data) => {
          setVersion(data.version);
          setTarget('');
          router.refresh();
          return `Saved “${data.name}” (version ${data.version}).`;
        },
      );
    } else {
      run(() => createNotificationChannel(null, input()), (data) => router.push(`/settings/notifications/${data.id}`));
    }
  }

  const fieldError = (path: string) => fieldErrors[path] ?? Object.entries(fieldErrors).find(([key]) => key.startsWith(`${path}.`))?.[1];

  return (
    <form
      aria-label={channel ? `Edit ${channel.name}` : 'New notification channel'}
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="grid grid-cols-1 gap-3 md:grid-cols-[1fr_16rem]">
        <label className={labelClasses}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} aria-invalid={Boolean(fieldErrors.name) || undefined} aria-describedby="channel-name-error" className={`${inputClasses} mt-1`} placeholder="#incidents" />
          <span id="channel-name-error" aria-live="polite" className={`block ${errorClasses}`}>
            {fieldErrors.name}
          </span>
        </label>
        <label className={labelClasses}>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)} aria-invalid={Boolean(fieldErrors.kind) || undefined} aria-describedby="channel-kind-error" className={`${inputClasses} mt-1`}>
            {channelKinds.map((k) => (
              <option key={k} value={k}>
                {kindNames[k]}
                {k === 'email' && !smtpConfigured ? ' (needs SITREP_SMTP_URL)' : ''}
              </option>
            ))}
          </select>
          <span id="channel-kind-error" aria-live="polite" className={`block ${errorClasses}`}>
            {fieldErrors.kind}
          </span>
        </label>
        <label className={`${labelClasses} md:col-span-2`}>
          {help.label}
          <input
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            required={!keepsTarget}
            inputMode={kind === 'email' ? 'email' : 'url'}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={Boolean(fieldErrors.target) || undefined}
            aria-describedby="channel-target-error channel-target-hint"
            className={`${inputClasses} mt-1 font-mono text-xs`}
            placeholder={keepsTarget ? `stored: ${channel!.targetHint} (leave empty to keep it; type to replace)` : help.placeholder}
          />
          <span id="channel-target-error" aria-live="polite" className={`block ${errorClasses}`}>
            {fieldErrors.target}
          </span>
          <span id="channel-target-hint" className="mt-0.5 block font-normal text-zinc-500">
            {help.hint}
            {kind !== 'email' ? ' Internal addresses are refused unless the host is in SITREP_WEBHOOK_ALLOW_HOSTS.' : ''}
          </span>
        </label>
      </div>

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <fieldset aria-describedby="channel-events-error">
          <legend className="text-sm font-semibold">Notify when</legend>
          <div className="mt-1 space-y-1">
            {notificationEvents.map((event) => (
              <label key={event} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={events.includes(event)} onChange={(e) => setEvents((all) => (e.target.checked ? [...all, event] : all.filter((x) => x !== event)))} />
                {eventDescriptions[event]}
              </label>
            ))}
          </div>
          <p id="channel-events-error" aria-live="polite" className={errorClasses}>
            {fieldError('events')}
          </p>
        </fieldset>
        <fieldset aria-describedby="channel-severities-hint channel-severities-error">
          <legend className="text-sm font-semibold">For severities</legend>
          <div className="mt-1 space-y-1">
            {severities.map((severity) => (
              <label key={severity.key} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosenSeverities.includes(severity.key)}
                  onChange={(e) => setChosenSeverities((all) => (e.target.checked ? [...all, severity.key] : all.filter((x) => x !== severity.key)))}
                />
                <span className="font-mono text-xs">{severity.key}</span> {severity.name}
              </label>
            ))}
          </div>
          <p id="channel-severities-hint" className="mt-1 text-xs text-zinc-500">
            {chosenSeverities.length ? `Only incidents of ${severities.filter((s) => chosenSeverities.includes(s.key)).map((s) => s.key).join(', ')}.` : 'None ticked: every severity.'}
          </p>
          <p id="channel-severities-error" aria-live="polite" className={errorClasses}>
            {fieldError('severities')}
          </p>
        </fieldset>
      </div>

      <FormOutcome error={error} done={saved} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Working…' : channel ? 'Save changes' : 'Create channel'}
        </Button>
        <Link href="/settings/notifications" className={buttonClasses('ghost')}>
          {channel ? 'Back to channels' : 'Cancel'}
        </Link>
      </div>
    </form>
  );
}
