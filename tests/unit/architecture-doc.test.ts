// docs/ARCHITECTURE.md lists every table with the domain that writes it; this keeps that list
// true as the schema grows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schema = readFileSync('prisma/schema.prisma', 'utf8');
const doc = readFileSync('docs/ARCHITECTURE.md', 'utf8');

function documentedTables(): string[] {
  const section = doc.slice(doc.indexOf('## Tables'));
  const end = section.indexOf('\n## ', 4);
  return [...(end > 0 ? section.slice(0, end) : section).matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('docs/ARCHITECTURE.md', () => {
  it('lists exactly the tables of prisma/schema.prisma', () => {
    const tables = [...schema.matchAll(/@@map\("([a-z_]+)"\)/g)].map((m) => m[1]!).sort();
    const listed = documentedTables().sort();
    expect(tables.length).toBeGreaterThan(0);
    expect(listed, 'add a row per new table to the "Tables" section of docs/ARCHITECTURE.md').toEqual(tables);
  });

  it('answers where a new outgoing message, a new domain and a new stream go', () => {
    const section = doc.slice(doc.indexOf('## Where a change goes'));
    for (const question of ['A new kind of outgoing message', 'A new domain', 'A new live view']) expect(section).toContain(question);
  });
});
