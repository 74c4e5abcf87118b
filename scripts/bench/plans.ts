// The plans of what each page really asks PostgreSQL at the large scale. auto_explain (shipped
// with PostgreSQL) logs the plan of every statement the app runs, with real row counts and
// buffers, while the bench views each page once; the bench reads them from the server's output,
// flags every sequential scan of `incidents` or `timeline_events` (the two tables that grow with
// the years) and writes the plans into a report. Done after the timed measurements, so logging
// costs none of them.
import type pg from 'pg';

/**
 * What the bench's PostgreSQL needs at start for this: auto_explain's settings (the library is
 * loaded into sessions only while plans are taken) and a log line prefix naming the session's
 * application, so the app's statements can be told from the bench's own.
 */
export const PLAN_LOG_FLAGS = [
  ['log_line_prefix', '@@%a@@ '],
  ['auto_explain.log_min_duration', '0'],
  ['auto_explain.log_analyze', 'on'],
  ['auto_explain.log_buffers', 'on'],
  ['auto_explain.log_timing', 'off'],
  ['auto_explain.log_format', 'json'],
  ['auto_explain.log_nested_statements', 'on'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

/** PostgreSQL's output (stderr), kept only while plans are taken. */
export class ServerOutput {
  private text = '';
  private keeping = false;
  /** For startPostgres's `output`. */
  readonly write = (chunk: string) => {
    if (this.keeping) this.text += chunk;
  };
  start() {
    this.text = '';
    this.keeping = true;
  }
  size() {
    return this.text.length;
  }
  since(offset: number) {
    return this.text.slice(offset);
  }
  stop() {
    this.keeping = false;
    this.text = '';
  }
}

/** Tables that grow with the years: a page that reads one of them whole does not scale. */
const GROWING = new Set(['incidents', 'timeline_events']);

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
};
type Statement = { ms: number; query: string; plan: PlanNode };
export type PagePlans = { label: string; statements: Statement[]; seqScans: { table: string; rows: number; query: string }[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** One line per plan node, indented: "Index Scan using incidents_number_key on incidents (rows 1, buffers 4)". */
function describe(plan: PlanNode, depth = 0): string[] {
  const on = plan['Relation Name'] ? ` on ${plan['Relation Name']}` : '';
  const using = plan['Index Name'] ? ` using ${plan['Index Name']}` : '';
  const rows = plan['Actual Rows'] !== undefined ? `rows ${plan['Actual Rows']}${(plan['Actual Loops'] ?? 1) > 1 ? ` × ${plan['Actual Loops']} loops` : ''}` : '';
  const removed = plan['Rows Removed by Filter'] ? `, ${plan['Rows Removed by Filter']} filtered out` : '';
  const buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
  const flag = plan['Node Type'] === 'Seq Scan' && GROWING.has(plan['Relation Name'] ?? '') ? '  ← SEQUENTIAL SCAN' : '';
  return [`${'  '.repeat(depth)}${plan['Node Type']}${using}${on} (${rows}${removed}, buffers ${buffers})${flag}`, ...(plan.Plans ?? []).flatMap((child) => describe(child, depth + 1))];
}

/** The app's statements in a piece of the server's output: each record starts "@@<application>@@ LOG:", its plan continues on tab-indented lines. */
function statementsIn(text: string): Statement[] {
  const statements: Statement[] = [];
  for (const record of text.split(/\n(?=@@)/)) {
    const match = /^@@(sitrep-[^@]*)@@ LOG:\s+duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/.exec(record.trim());
    if (!match) continue;
    const json = match[3]!.replace(/^\t/gm, '');
    try {
      const explained = JSON.parse(json) as { 'Query Text': string; Plan: PlanNode };
      statements.push({ ms: Number(match[2]), query: explained['Query Text'], plan: explained.Plan });
    } catch {
      // A record cut off at the end of the output: the next read has it whole.
    }
  }
  return statements;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends the app's database sessions; its pools open new ones, which start with the current settings. */
async function reconnectApp(pool: pg.Pool): Promise<void> {
  await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'sitrep-%' AND pid <> pg_backend_pid()`);
}

/**
 * Views each page once with auto_explain on in the app's sessions, and returns the plans of the
 * statements each view ran. `view` fetches a page and throws unless it answered 200.
 */
export async function takePlans(pool: pg.Pool, output: ServerOutput, pages: { label: string; view: () => Promise<void> }[]): Promise<PagePlans[]> {
  output.start();
  await pool.query(`ALTER SYSTEM SET session_preload_libraries = 'auto_explain'`);
  await pool.query('SELECT pg_reload_conf()');
  await reconnectApp(pool);
  const taken: PagePlans[] = [];
  try {
    // The first request after the reconnect may meet a closed connection in the pool: a warm-up
    // view that is not recorded.
    await pages[0]?.view().catch(() => undefined);
    for (const page of pages) {
      await sleep(300);
      const before = output.size();
      await page.view();
      // The server's output arrives shortly after the answer; wait until it stops growing.
      let size = -1;
      for (let i = 0; i < 50 && output.size() !== size; i++) {
        size = output.size();
        await sleep(100);
      }
      const statements = statementsIn(output.since(before)).sort((a, b) => b.ms - a.ms);
      const seqScans = statements.flatMap((statement) =>
        nodes(statement.plan)
          .filter((node) => node['Node Type'] === 'Seq Scan' && GROWING.has(node['Relation Name'] ?? ''))
          .map((node) => ({ table: node['Relation Name']!, rows: (node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0), query: statement.query })),
      );
      taken.push({ label: page.label, statements, seqScans });
    }
  } finally {
    await pool.query('ALTER SYSTEM RESET session_preload_libraries');
    await pool.query('SELECT pg_reload_conf()');
    await reconnectApp(pool);
    output.stop();
  }
  return taken;
}

const oneLine = (query: string) => query.replace(/\s+/g, ' ').trim();

/** The report: per page, its statements' total time, every sequential scan of a growing table, and the five slowest statements with their plans. */
export function plansReport(taken: PagePlans[], dataset: string): string {
  const lines = [
    `# Page plans at the large scale (${dataset})`,
    '',
    'Written by `npm run bench -- --scale large`: every statement the app ran while the bench viewed each',
    'page once, as PostgreSQL planned and ran it (auto_explain, with real row counts and buffers). A',
    'sequential scan of `incidents` or `timeline_events` is flagged: those tables grow with the years.',
    '',
    '| page | statements | their time | sequential scans of growing tables |',
    '|---|---|---|---|',
    ...taken.map((page) => `| ${page.label} | ${page.statements.length} | ${page.statements.reduce((sum, s) => sum + s.ms, 0).toFixed(1)} ms | ${page.seqScans.length ? page.seqScans.map((s) => `${s.table} (${s.rows.toLocaleString('en')} rows)`).join(', ') : 'none'} |`),
  ];
  for (const page of taken) {
    lines.push('', `## ${page.label}`, '');
    for (const scan of page.seqScans) lines.push(`- **Sequential scan of ${scan.table}** (${scan.rows.toLocaleString('en')} rows) in: \`${oneLine(scan.query).slice(0, 300)}\``);
    if (page.seqScans.length) lines.push('');
    lines.push(`The ${Math.min(5, page.statements.length)} slowest of its ${page.statements.length} statements:`);
    for (const statement of page.statements.slice(0, 5)) {
      lines.push('', `${statement.ms.toFixed(2)} ms: \`${oneLine(statement.query).slice(0, 300)}\``, '', '```', ...describe(statement.plan), '```');
    }
  }
  return `${lines.join('\n')}\n`;
}
