// Webhook body templates: JSON text with {{variables}}. Values are written as JSON, never pasted
// as raw text, so an incident title with quotes or line breaks cannot change the body's shape:
// inside a JSON string a variable becomes the escaped characters (no quotes); standing alone it
// becomes a JSON value (a number stays a number, a string gets quotes).

export const TEMPLATE_VARIABLES = [
  { name: 'incident.number', description: 'The incident number (a JSON number)', example: 42 },
  { name: 'incident.key', description: 'The incident key, e.g. INC-42', example: 'INC-42' },
  { name: 'incident.title', description: 'The incident title as typed; may contain quotes and line breaks', example: 'Checkout "pay" returns 502s\nin eu-west' },
  { name: 'incident.severity', description: 'The severity, e.g. SEV1', example: 'SEV1' },
  { name: 'incident.status', description: 'The status: investigating, identified, monitoring, resolved or closed', example: 'investigating' },
  { name: 'incident.url', description: "The incident's page in Sitrep", example: 'https://sitrep.example.com/incidents/42' },
  { name: 'actor.email', description: 'E-mail of the person who fired the action', example: 'ada@example.com' },
  { name: 'actor.name', description: 'Name of the person who fired the action (empty when unknown)', example: 'Ada Lovelace' },
  { name: 'delivery.id', description: 'Unique id of this delivery; receivers can use it to ignore repeats', example: 'dlv_01J9Z6Q7KX' },
  { name: 'action.id', description: 'Id of the remediation action', example: 'act_01J9Z6Q7KX' },
  { name: 'action.name', description: 'Name of the remediation action', example: 'Restart checkout pods' },
] as const satisfies readonly { name: string; description: string; example: string | number }[];

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]['name'];

export type TemplateContext = {
  incident: { number: number; key: string; title: string; severity: string; status: string; url: string };
  actor: { email: string; name: string | null };
  delivery: { id: string };
  action: { id: string; name: string };
  /** The values the person filled in when firing, by parameter name. */
  params: Record<string, string | number | boolean>;
};

/** A parameter the action declares; `{{params.<name>}}` is a variable of its template. */
export type TemplateParameter = { name: string; type: 'string' | 'number' | 'boolean' };

type Value = string | number | boolean | null;

const variableNames: readonly string[] = TEMPLATE_VARIABLES.map((variable) => variable.name);

const read: Record<TemplateVariable, (context: TemplateContext) => Value> = {
  'incident.number': (c) => c.incident.number,
  'incident.key': (c) => c.incident.key,
  'incident.title': (c) => c.incident.title,
  'incident.severity': (c) => c.incident.severity,
  'incident.status': (c) => c.incident.status,
  'incident.url': (c) => c.incident.url,
  'actor.email': (c) => c.actor.email,
  'actor.name': (c) => c.actor.name,
  'delivery.id': (c) => c.delivery.id,
  'action.id': (c) => c.action.id,
  'action.name': (c) => c.action.name,
};

/** A problem in a template, with the 1-based line and column it starts at. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  constructor(reason: string, line: number, column: number) {
    super(`Line ${line}, column ${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

export type TemplateValidation = { ok: true } | { ok: false; message: string; line: number; column: number };

/**
 * Checks a template for unknown variables, unclosed `{{` and JSON errors (rendered with sample
 * values). `{{params.<name>}}` is known when the action declares that parameter.
 */
export function validateTemplate(text: string, parameters: readonly TemplateParameter[] = []): TemplateValidation {
  const samples: Record<string, Value> = Object.fromEntries(TEMPLATE_VARIABLES.map((variable) => [variable.name, variable.example]));
  for (const parameter of parameters) samples[`params.${parameter.name}`] = PARAMETER_SAMPLES[parameter.type];
  try {
    render(text, (name) => samples[name] ?? null, parameters);
    return { ok: true };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, message: error.reason, line: error.line, column: error.column };
    throw error;
  }
}

/**
 * The JSON body for one delivery. Throws a TemplateError when the template is not usable. A
 * declared parameter left empty renders as null (or as nothing inside a string).
 */
export function renderTemplate(text: string, context: TemplateContext, parameters: readonly TemplateParameter[] = []): string {
  return render(
    text,
    (name) => (name.startsWith('params.') ? (context.params[name.slice('params.'.length)] ?? null) : read[name as TemplateVariable](context)),
    parameters,
  );
}

export type DefaultBody = {
  type: 'remediation.requested';
  deliveryId: string;
  incident: { number: number; key: string; title: string; severity: string; status: string };
  action: { id: string; name: string };
  requestedBy: { email: string };
};

/** The body sent when an action has no template of its own. */
export function defaultBody(context: TemplateContext): DefaultBody {
  const { incident, action, actor, delivery } = context;
  return {
    type: 'remediation.requested',
    deliveryId: delivery.id,
    incident: { number: incident.number, key: incident.key, title: incident.title, severity: incident.severity, status: incident.status },
    action: { id: action.id, name: action.name },
    requestedBy: { email: actor.email },
  };
}

type Segment = { kind: 'text'; start: number; end: number } | { kind: 'variable'; name: string; inString: boolean; start: number; end: number };

const PARAMETER_SAMPLES = { string: 'example', number: 3, boolean: true } as const;

function render(text: string, valueOf: (name: string) => Value, parameters: readonly TemplateParameter[]): string {
  const segments = tokenize(text, parameters);
  // Where each piece of output came from, to report JSON errors at the template's line and column.
  const origins: { outputStart: number; segment: Segment }[] = [];
  let output = '';
  for (const segment of segments) {
    origins.push({ outputStart: output.length, segment });
    if (segment.kind === 'text') {
      output += text.slice(segment.start, segment.end);
    } else {
      const value = valueOf(segment.name);
      output += segment.inString ? JSON.stringify(value === null ? '' : String(value)).slice(1, -1) : JSON.stringify(value);
    }
  }
  const problem = findJsonError(output);
  if (problem) {
    const origin = origins.findLast((entry) => entry.outputStart <= problem.offset);
    let source = text.trimEnd().length;
    if (origin && problem.offset < output.length) {
      source = origin.segment.kind === 'text' ? origin.segment.start + problem.offset - origin.outputStart : origin.segment.start;
    }
    throw errorAt(text, source, `The body is not valid JSON: ${problem.message}`);
  }
  return output;
}

/** Splits a template into text and variables, noting whether each variable sits inside a JSON string. */
function tokenize(text: string, parameters: readonly TemplateParameter[]): Segment[] {
  const segments: Segment[] = [];
  let inString = false;
  let textStart = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '{' && text[index + 1] === '{') {
      if (index > textStart) segments.push({ kind: 'text', start: textStart, end: index });
      const close = text.indexOf('}}', index + 2);
      const inner = close === -1 ? '' : text.slice(index + 2, close);
      if (close === -1 || inner.includes('{{') || /[\r\n]/.test(inner)) {
        throw errorAt(text, index, '{{ is not closed; end the variable with }}');
      }
      const name = inner.trim();
      if (!isVariable(name, parameters)) {
        const known = [...variableNames, ...parameters.map((p) => `params.${p.name}`)].join(', ');
        const hint = name.startsWith('params.') ? ` (add a parameter named ${name.slice('params.'.length)} to use it)` : '';
        throw errorAt(text, index, `Unknown variable {{${name}}}${hint}; known variables are ${known}`);
      }
      // Outside a string the value must stand alone: `5{{incident.number}}` would silently make 542.
      if (!inString && (/[\w.+\-"]/.test(text[index - 1] ?? '') || /[\w.+\-"]/.test(text[close + 2] ?? ''))) {
        throw errorAt(text, index, `{{${name}}} is outside a JSON string, so it must stand alone as a value; put it inside quotes to join it with other text`);
      }
      segments.push({ kind: 'variable', name, inString, start: index, end: close + 2 });
      index = close + 2;
      textStart = index;
      continue;
    }
    if (inString && char === '\\') {
      index += 2; // the escaped character can't end the string
      continue;
    }
    if (char === '"') inString = !inString;
    index += 1;
  }
  if (text.length > textStart) segments.push({ kind: 'text', start: textStart, end: text.length });
  return segments;
}

function isVariable(name: string, parameters: readonly TemplateParameter[]): boolean {
  return variableNames.includes(name) || (name.startsWith('params.') && parameters.some((p) => `params.${p.name}` === name));
}

function errorAt(text: string, offset: number, reason: string): TemplateError {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return new TemplateError(reason, before.length, (before.at(-1)?.length ?? 0) + 1);
}

class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

/**
 * The first JSON syntax error in `json` and where it is. JSON.parse does not say where for every
 * error, and its messages quote the rendered text, which contains sample values, not the template.
 */
function findJsonError(json: string): { offset: number; message: string } | null {
  let index = 0;
  const fail = (message: string, at = index): never => {
    throw new JsonSyntaxError(at, message);
  };
  const found = () => (index < json.length ? `found ${JSON.stringify(json[index])}` : 'found the end of the text');
  const skipSpace = () => {
    while (index < json.length && ' \t\n\r'.includes(json[index] ?? '')) index += 1;
  };
  const string = () => {
    const start = index;
    index += 1;
    for (;;) {
      const char = json[index];
      if (char === undefined) fail('a string is not closed with "', start);
      else if (char === '"') break;
      else if (char < ' ') fail('a line break or control character inside a string must be escaped, e.g. \\n');
      else if (char === '\\') {
        const escape = json[index + 1] ?? '';
        const valid = escape === 'u' ? /^[0-9a-fA-F]{4}$/.test(json.slice(index + 2, index + 6)) : escape !== '' && '"\\/bfnrt'.includes(escape);
        if (!valid) fail('invalid escape in a string; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
        index += escape === 'u' ? 6 : 2;
      } else index += 1;
    }
    index += 1;
  };
  const number = () => {
    const pattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    pattern.lastIndex = index;
    const match = pattern.exec(json);
    if (!match) fail('invalid number');
    else index += match[0].length;
  };
  const value = (): void => {
    skipSpace();
    const char = json[index] ?? '';
    if (char === '{') object();
    else if (char === '[') array();
    else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else {
      const literal = ['true', 'false', 'null'].find((word) => json.startsWith(word, index));
      if (!literal) fail(`expected a value, ${found()}`);
      else index += literal.length;
    }
  };
  // Objects and arrays: after the opening bracket, either the closing one or members separated by commas.
  const members = (close: '}' | ']', member: () => void, what: string) => {
    index += 1;
    skipSpace();
    if (json[index] === close) {
      index += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (json[index] === close) fail(`remove the comma before ${close}`);
      member();
      skipSpace();
      if (json[index] === close) break;
      if (json[index] !== ',') fail(`expected ',' or '${close}' after the ${what}, ${found()}`);
      index += 1;
    }
    index += 1;
  };
  const property = () => {
    if (json[index] !== '"') fail(`expected a property name in double quotes, ${found()}`);
    string();
    skipSpace();
    if (json[index] !== ':') fail(`expected ':' after the property name, ${found()}`);
    index += 1;
    value();
  };
  const object = () => members('}', property, 'property value');
  const array = () => members(']', value, 'array element');

  try {
    skipSpace();
    if (index === json.length) fail('the template is empty; write a JSON value such as {}');
    value();
    skipSpace();
    if (index < json.length) fail('unexpected text after the end of the JSON value');
    JSON.parse(json); // belt and braces: the checker above and the real parser must agree
    return null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    if (error instanceof SyntaxError) return { offset: json.length, message: error.message };
    throw error;
  }
}
