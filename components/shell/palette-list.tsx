'use client';

// The palette's list, built on cmdk (an accessible combobox + listbox with fuzzy ranking) rather
// than a hand-rolled one. Loaded the first time the palette opens (command-palette.tsx), so cmdk
// is not part of the JavaScript every page needs before it can be used.

import { Command } from 'cmdk';

export type NavItem = { href: string; label: string };
export type IncidentItem = { number: number; key: string; title: string; status: string; severity: string };
export type PaletteAction = { id: string; label: string; keywords: string[]; keys?: string[]; act: () => void };

const itemClasses =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-sky-100 data-[selected=true]:text-sky-950 dark:data-[selected=true]:bg-sky-900 dark:data-[selected=true]:text-sky-50';
const groupClasses = '[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-500';

export function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="ml-auto flex shrink-0 gap-0.5">
      {keys.map((key) => (
        <kbd key={key} className="rounded border border-zinc-300 bg-zinc-50 px-1 font-mono text-[11px] text-zinc-600 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {key}
        </kbd>
      ))}
    </span>
  );
}

export type PaletteListProps = {
  search: string;
  setSearch(value: string): void;
  placeholder: string;
  inputClassName: string;
  /** The incident of the command view, when the palette offers commands on it. */
  number: number | null;
  incidentActions: PaletteAction[];
  incidents: IncidentItem[] | null;
  loadError: string | null;
  nav: NavItem[];
  goKeys: Record<string, string>;
  canWork: boolean;
  /** Closes the palette, then does `what`. */
  run(what: () => void): void;
  go(href: string): void;
  declare(): void;
  showHelp(): void;
};

export function PaletteList({ search, setSearch, placeholder, inputClassName, number, incidentActions, incidents, loadError, nav, goKeys, canWork, run, go, declare, showHelp }: PaletteListProps) {
  const typedNumber = /^(?:inc-?)?(\d{1,9})$/i.exec(search.trim())?.[1];
  return (
    <Command label="Command palette" loop className="flex max-h-[min(32rem,80dvh)] flex-col">
      <Command.Input
        value={search}
        onValueChange={setSearch}
        autoFocus
        placeholder={placeholder}
        className={inputClassName}
      />
      <Command.List className="min-h-0 flex-1 overflow-y-auto p-1.5">
        <Command.Empty className="px-2 py-3 text-sm text-zinc-500">Nothing matches “{search}”.</Command.Empty>
        {incidentActions.length ? (
          <Command.Group heading={`INC-${number}`} className={groupClasses}>
            {incidentActions.map((action) => (
              <Command.Item key={action.id} value={`${action.label} ${action.id}`} keywords={action.keywords} onSelect={() => run(action.act)} className={itemClasses}>
                {action.label}
                {action.keys ? <Keys keys={action.keys} /> : null}
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {typedNumber ? (
          <Command.Group heading="Go to" className={groupClasses} forceMount>
            <Command.Item value={`go to INC-${typedNumber} ${search}`} forceMount onSelect={() => run(() => go(`/incidents/${typedNumber}`))} className={itemClasses}>
              Open INC-{typedNumber}
            </Command.Item>
          </Command.Group>
        ) : null}
        <Command.Group heading="Incidents" className={groupClasses}>
          {incidents === null && !loadError ? <Command.Loading>Loading incidents…</Command.Loading> : null}
          {loadError ? <p className="px-2 py-1 text-xs text-red-600 dark:text-red-400">Incidents not listed: {loadError}.</p> : null}
          {(incidents ?? []).map((incident) => (
            <Command.Item
              key={incident.number}
              value={`${incident.key} ${incident.title}`}
              keywords={[String(incident.number), incident.status, incident.severity]}
              onSelect={() => run(() => go(`/incidents/${incident.number}`))}
              className={itemClasses}
            >
              <span className="font-mono text-xs text-zinc-500">{incident.key}</span>
              <span className="min-w-0 flex-1 truncate">{incident.title}</span>
              <span className="shrink-0 text-xs text-zinc-500">
                {incident.severity} · {incident.status}
              </span>
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Pages" className={groupClasses}>
          {nav.map((item) => (
            <Command.Item key={item.href} value={`page ${item.label}`} keywords={[item.href]} onSelect={() => run(() => go(item.href))} className={itemClasses}>
              {item.label}
              {goKeys[item.href] ? <Keys keys={['g', goKeys[item.href]!]} /> : null}
            </Command.Item>
          ))}
          <Command.Item value="page Status page public" onSelect={() => run(() => go('/status'))} className={itemClasses}>
            Public status page
          </Command.Item>
          {canWork ? (
            <Command.Item value="Declare an incident" keywords={['new', 'declare', 'open']} onSelect={() => run(declare)} className={itemClasses}>
              Declare an incident…
              <Keys keys={['d']} />
            </Command.Item>
          ) : null}
          <Command.Item value="Keyboard shortcuts help" keywords={['keys', '?']} onSelect={() => run(showHelp)} className={itemClasses}>
            Keyboard shortcuts
            <Keys keys={['?']} />
          </Command.Item>
        </Command.Group>
      </Command.List>
    </Command>
  );
}
