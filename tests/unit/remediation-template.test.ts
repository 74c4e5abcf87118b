import { describe, expect, it } from 'vitest';
import { TEMPLATE_VARIABLES, TemplateError, defaultBody, renderTemplate, validateTemplate, type TemplateContext } from '@/lib/remediation/template';

const context: TemplateContext = {
  incident: {
    number: 7,
    key: 'INC-7',
    title: 'Checkout "EU" down\n\tpayments \\ fail }} {{x}} </script>',
    severity: 'SEV1',
    status: 'investigating',
    url: 'https://sitrep.example.com/incidents/7',
  },
  actor: { email: 'ada@example.com', name: null },
  delivery: { id: 'dlv_1' },
  action: { id: 'act_1', name: 'Restart "pods"' },
  params: { replicas: 6, version: 'v1.2 "hotfix"', dryRun: false },
};

const render = (text: string) => JSON.parse(renderTemplate(text, context)) as unknown;

describe('renderTemplate', () => {
  it('escapes values inside strings so a title cannot break out of its string', () => {
    expect(render('{"text": "{{incident.key}}: {{ incident.title }} by {{actor.email}}"}')).toEqual({
      text: `INC-7: ${context.incident.title} by ada@example.com`,
    });
  });

  it('writes a standalone variable as a JSON value of its type', () => {
    expect(render('{"n": {{incident.number}}, "t": {{incident.title}}, "who": {{actor.name}}, "list": [{{incident.number}}, {{action.name}}]}')).toEqual({
      n: 7,
      t: context.incident.title,
      who: null,
      list: [7, 'Restart "pods"'],
    });
  });

  it('turns numbers and missing values into text inside a string', () => {
    expect(render('{"n": "#{{incident.number}}", "who": "{{actor.name}}"}')).toEqual({ n: '#7', who: '' });
  });

  it('can use a variable as a property name', () => {
    expect(render('{ {{incident.key}}: true }')).toEqual({ 'INC-7': true });
  });

  it('keeps escaped quotes and backslashes in the template as they are', () => {
    expect(render('{"a": "say \\"{{incident.key}}\\"", "b": "C:\\\\", "c": {{incident.number}}}')).toEqual({ a: 'say "INC-7"', b: 'C:\\', c: 7 });
  });

  it('renders every variable', () => {
    const text = `{${TEMPLATE_VARIABLES.map((variable) => `"${variable.name}": {{${variable.name}}}`).join(', ')}}`;
    expect(render(text)).toEqual({
      'incident.number': 7,
      'incident.key': 'INC-7',
      'incident.title': context.incident.title,
      'incident.severity': 'SEV1',
      'incident.status': 'investigating',
      'incident.url': 'https://sitrep.example.com/incidents/7',
      'actor.email': 'ada@example.com',
      'actor.name': null,
      'delivery.id': 'dlv_1',
      'action.id': 'act_1',
      'action.name': 'Restart "pods"',
    });
  });

  it('returns the template text with only the variables replaced', () => {
    expect(renderTemplate('{\n  "key": "{{incident.key}}"\n}\n', context)).toBe('{\n  "key": "INC-7"\n}\n');
  });

  it('throws a TemplateError that says where the problem is', () => {
    expect(() => renderTemplate('{"a": "{{incident.nope}}"}', context)).toThrow(TemplateError);
    expect(() => renderTemplate('{"a": 1,}', context)).toThrow('Line 1, column 9: The body is not valid JSON: remove the comma before }');
  });
});

describe('validateTemplate', () => {
  it('accepts valid templates', () => {
    expect(validateTemplate('{"text": "{{incident.title}}", "n": {{incident.number}}}')).toEqual({ ok: true });
    expect(validateTemplate('[1, 2.5e3, -0.5, true, false, null, "\\u00e9\\n", {}, []]')).toEqual({ ok: true });
  });

  it('names an unknown variable and lists the known ones', () => {
    const result = validateTemplate('{\n  "a": "{{incident.titel}}"\n}');
    expect(result).toMatchObject({ ok: false, line: 2, column: 9 });
    if (result.ok) return;
    expect(result.message).toMatch(/^Unknown variable \{\{incident\.titel\}\}; known variables are incident\.number, incident\.key, incident\.title,/);
    expect(result.message).toContain('action.name');
  });

  it('finds an unclosed {{', () => {
    expect(validateTemplate('{"a": "{{incident.title"}')).toEqual({ ok: false, message: '{{ is not closed; end the variable with }}', line: 1, column: 8 });
    expect(validateTemplate('{"a": "{{incident.title\n}}"}')).toMatchObject({ ok: false, line: 1, column: 8 });
    expect(validateTemplate('{"a": "{{incident.title {{incident.key}}"}')).toMatchObject({ ok: false, line: 1, column: 8 });
  });

  it('refuses a standalone variable glued to other text', () => {
    expect(validateTemplate('{"n": 5{{incident.number}}}')).toMatchObject({ ok: false, line: 1, column: 8, message: expect.stringMatching(/must stand alone/) });
    expect(validateTemplate('{"n": {{incident.number}}0}')).toMatchObject({ ok: false, column: 7 });
  });

  it.each([
    ['{"a": 1,\n  "b": }', 2, 8, "The body is not valid JSON: expected a value, found \"}\""],
    ['{"a": 1\n "b": 2}', 2, 2, "The body is not valid JSON: expected ',' or '}' after the property value, found \"\\\"\""],
    ['{\'a\': 1}', 1, 2, 'The body is not valid JSON: expected a property name in double quotes, found "\'"'],
    ['[1, 2,]', 1, 7, 'The body is not valid JSON: remove the comma before ]'],
    ['{"a": "x\ny"}', 1, 9, 'The body is not valid JSON: a line break or control character inside a string must be escaped, e.g. \\n'],
    ['{"a": "\\x"}', 1, 8, 'The body is not valid JSON: invalid escape in a string; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX'],
    ['{"a": 01}', 1, 8, "The body is not valid JSON: expected ',' or '}' after the property value, found \"1\""],
    ['{"a": "b"', 1, 10, "The body is not valid JSON: expected ',' or '}' after the property value, found the end of the text"],
    ['{"a": "b}  ', 1, 7, 'The body is not valid JSON: a string is not closed with "'],
    ['{} {}', 1, 4, 'The body is not valid JSON: unexpected text after the end of the JSON value'],
    ['   ', 1, 1, 'The body is not valid JSON: the template is empty; write a JSON value such as {}'],
  ])('reports JSON errors in %j at line %i, column %i', (text, line, column, message) => {
    expect(validateTemplate(text)).toEqual({ ok: false, message, line, column });
  });

  it('reports JSON errors at the template position even after longer values', () => {
    // The sample title is much longer than the variable; the error is still placed in the template.
    expect(validateTemplate('{"t": "{{incident.title}}" "u": 1}')).toMatchObject({ ok: false, line: 1, column: 28 });
    expect(validateTemplate('{"t": {{incident.title}} {{incident.key}}}')).toMatchObject({ ok: false, line: 1, column: 26 });
  });

  it('accepts a title that would break naive substitution', () => {
    // The sample values contain quotes and a line break; they are escaped, so the template is fine.
    expect(TEMPLATE_VARIABLES.find((variable) => variable.name === 'incident.title')?.example).toMatch(/"[^]*\n/);
    expect(validateTemplate('{"t": "{{incident.title}}"}')).toEqual({ ok: true });
  });
});

describe('parameters', () => {
  const declared = [
    { name: 'replicas', type: 'number' },
    { name: 'version', type: 'string' },
    { name: 'dryRun', type: 'boolean' },
    { name: 'note', type: 'string' },
  ] as const;

  it('renders declared parameters as JSON values, escaped inside strings', () => {
    const text = '{"replicas": {{params.replicas}}, "v": "{{params.version}}", "dry": {{params.dryRun}}, "note": {{params.note}}, "n2": "x{{params.note}}y"}';
    expect(JSON.parse(renderTemplate(text, context, declared))).toEqual({ replicas: 6, v: 'v1.2 "hotfix"', dry: false, note: null, n2: 'xy' });
  });

  it('knows a parameter only when the action declares it', () => {
    expect(validateTemplate('{"r": {{params.replicas}}}', declared)).toEqual({ ok: true });
    expect(validateTemplate('{"r": {{params.replicas}}}')).toMatchObject({ ok: false, line: 1, column: 7, message: expect.stringContaining('add a parameter named replicas') });
    expect(validateTemplate('{"r": "{{params.zone}}"}', declared)).toMatchObject({ ok: false, message: expect.stringContaining('params.replicas, params.version') });
  });
});

describe('defaultBody', () => {
  it('describes the request', () => {
    expect(defaultBody(context)).toEqual({
      type: 'remediation.requested',
      deliveryId: 'dlv_1',
      incident: { number: 7, key: 'INC-7', title: context.incident.title, severity: 'SEV1', status: 'investigating' },
      action: { id: 'act_1', name: 'Restart "pods"' },
      requestedBy: { email: 'ada@example.com' },
    });
  });
});

describe('TEMPLATE_VARIABLES', () => {
  it('describes every variable once', () => {
    const names = TEMPLATE_VARIABLES.map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      ['action.id', 'action.name', 'actor.email', 'actor.name', 'delivery.id', 'incident.key', 'incident.number', 'incident.severity', 'incident.status', 'incident.title', 'incident.url'].sort(),
    );
    for (const variable of TEMPLATE_VARIABLES) expect(variable.description.length).toBeGreaterThan(5);
  });
});
