// Runbook commands carry placeholders written for a person to replace ($SERVICE, ${NAMESPACE},
// {{service}}, <pod-name>). On an incident the ones Sitrep knows are filled in from it (its
// services, key, number, severity) and the rest are left for the responder to fill before
// copying. Pure: the checklist view renders the parts and copies the filled text.

export type CommandPart =
  | { kind: 'text'; text: string }
  /** `value` null: Sitrep does not know it; `choices`: what it could be (several services). */
  | { kind: 'variable'; name: string; original: string; value: string | null; choices: string[] };

/** `${NAME}`, `$NAME` (upper case: lower-case `$pod` is the script's own variable), `{{ name }}`, `<name>`. */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)\b|\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}|<([a-z][a-z0-9_-]*)>/g;

// The shell's own variables are not placeholders.
const ENVIRONMENT = new Set(['HOME', 'PATH', 'USER', 'PWD', 'SHELL', 'HOSTNAME', 'TMPDIR', 'LANG', 'TERM', 'EDITOR', 'OLDPWD', 'UID', 'RANDOM', 'IFS']);

/** INCIDENT.KEY, incident-key and IncidentKey all name INCIDENT_KEY. */
export function variableName(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

export type IncidentFacts = { key: string; number: number; severity: string; services: readonly string[] };

/** What Sitrep knows, by variable name (several spellings each). */
export function knownValues(incident: IncidentFacts): { values: Record<string, string>; choices: Record<string, string[]> } {
  const service = incident.services[0];
  const values: Record<string, string> = {
    INCIDENT: incident.key,
    INCIDENT_KEY: incident.key,
    INCIDENT_ID: incident.key,
    INCIDENT_NUMBER: String(incident.number),
    SEVERITY: incident.severity,
    INCIDENT_SEVERITY: incident.severity,
  };
  if (incident.services.length) values.SERVICES = incident.services.join(',');
  const choices: Record<string, string[]> = {};
  for (const name of ['SERVICE', 'SERVICE_NAME', 'INCIDENT_SERVICE', 'APP', 'APP_NAME']) {
    if (incident.services.length === 1) values[name] = service!;
    else if (incident.services.length > 1) choices[name] = [...incident.services];
  }
  return { values, choices };
}

export function fillCommand(command: string, known: { values: Record<string, string>; choices: Record<string, string[]> }): CommandPart[] {
  const parts: CommandPart[] = [];
  let last = 0;
  for (const match of command.matchAll(PLACEHOLDER)) {
    const raw = match[1] ?? match[2] ?? match[3] ?? match[4]!;
    const name = variableName(raw);
    if ((match[1] ?? match[2]) && ENVIRONMENT.has(name)) continue;
    if (match.index > last) parts.push({ kind: 'text', text: command.slice(last, match.index) });
    parts.push({ kind: 'variable', name, original: match[0], value: known.values[name] ?? null, choices: known.choices[name] ?? [] });
    last = match.index + match[0].length;
  }
  if (last < command.length) parts.push({ kind: 'text', text: command.slice(last) });
  return parts;
}

/** The command to copy: known values and what the person typed in; a blank stays as the placeholder. */
export function commandText(parts: readonly CommandPart[], typed: Record<string, string> = {}): string {
  return parts.map((part) => (part.kind === 'text' ? part.text : typed[part.name]?.trim() || part.value || part.original)).join('');
}
