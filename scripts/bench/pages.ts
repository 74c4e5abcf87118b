// Server-rendered pages, signed in: time to first byte and to the full HTML, in a row, beside
// the raw SQL that reads the same rows (the floor no rendering can go under).
import type pg from 'pg';
import { sample, summarize, type Summary } from './stats';

export type PageTiming = { ttfb: Summary; full: Summary; bytes: number };

export async function measurePage(url: string, cookie: string, times: number): Promise<PageTiming> {
  const ttfb: number[] = [];
  const full: number[] = [];
  let bytes = 0;
  const once = async (record: boolean) => {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const headersAt = performance.now();
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}; is the session cookie valid?`);
    if (record) {
      ttfb.push(headersAt - started);
      full.push(performance.now() - started);
      bytes = Buffer.byteLength(html);
    }
  };
  // Warm-up: a server just started compiles its hot paths over the first dozen requests or so
  // (a page measured first in a run saw 600 ms, then 100–200 ms, then ~80 ms steady).
  for (let i = 0; i < 10; i++) await once(false);
  for (let i = 0; i < times; i++) await once(true);
  return { ttfb: summarize(ttfb), full: summarize(full), bytes };
}

/** Runs the queries of one page view concurrently (as the page does), `times` times. */
export async function measureQueries(pool: pg.Pool, queries: [string, unknown[]][], times: number): Promise<Summary> {
  return summarize(await sample(times, () => Promise.all(queries.map(([text, values]) => pool.query(text, values)))));
}

/** The rows the command view reads for incident `number` (the lib/<domain>/queries.ts reads, as plain SQL). */
export function commandViewQueries(number: number): [string, unknown[]][] {
  const incident = `(SELECT id FROM incidents WHERE number = $1)`;
  return [
    [`SELECT i.*, s.* FROM incidents i JOIN severities s ON s.key = i.severity_key WHERE i.number = $1`, [number]],
    [`SELECT r.*, u.name, u.email FROM incident_roles r LEFT JOIN users u ON u.id = r.user_id WHERE r.incident_id = ${incident}`, [number]],
    [`SELECT e.*, u.name, u.email FROM timeline_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.incident_id = ${incident} ORDER BY e.seq DESC LIMIT 100`, [number]],
    [`SELECT * FROM timeline_events e WHERE e.incident_id = ${incident} AND e.pinned ORDER BY e.seq`, [number]],
    ['SELECT * FROM severities ORDER BY level', []],
    [`SELECT c.*, i.* FROM checklists c LEFT JOIN checklist_items i ON i.checklist_id = c.id WHERE c.incident_id = ${incident}`, [number]],
    // The runbooks that may fit it (suggestRunbooks) and how many there are; people and the rest of
    // the library are searched as they are typed, not read with the page.
    [`SELECT id, title, latest_version, tags, services, severities FROM runbooks WHERE archived_at IS NULL AND (services && (SELECT services FROM incidents WHERE number = $1) OR tags && (SELECT services FROM incidents WHERE number = $1) OR (SELECT severity_key FROM incidents WHERE number = $1) = ANY (severities)) ORDER BY title`, [number]],
    ['SELECT count(*) FROM runbooks WHERE archived_at IS NULL', []],
    ['SELECT * FROM remediation_actions ORDER BY name', []],
    [`SELECT * FROM remediation_deliveries WHERE incident_id = ${incident} ORDER BY created_at DESC LIMIT 20`, [number]],
    [`SELECT * FROM status_updates WHERE incident_id = ${incident} ORDER BY posted_at DESC LIMIT 20`, [number]],
    ['SELECT * FROM update_templates', []],
    [`SELECT * FROM action_items WHERE incident_id = ${incident}`, [number]],
  ];
}

/** The rows the dashboard reads: the 50 most severe open incidents with their roles, counts by severity, the week's resolutions, one's own roles. */
export function dashboardQueries(): [string, unknown[]][] {
  const open = `i.status IN ('investigating', 'identified', 'monitoring')`;
  return [
    [`SELECT i.*, s.name FROM incidents i JOIN severities s ON s.key = i.severity_key WHERE ${open} ORDER BY s.level, i.declared_at LIMIT 50`, []],
    [`SELECT r.*, u.name FROM incident_roles r JOIN (SELECT i.id FROM incidents i JOIN severities s ON s.key = i.severity_key WHERE ${open} ORDER BY s.level, i.declared_at LIMIT 50) o ON o.id = r.incident_id LEFT JOIN users u ON u.id = r.user_id`, []],
    [`SELECT severity_key, count(*) FROM incidents i WHERE ${open} GROUP BY severity_key`, []],
    [`SELECT number, title, severity_key, resolved_at FROM incidents WHERE status IN ('resolved', 'closed') AND resolved_at >= now() - interval '7 days' ORDER BY resolved_at DESC LIMIT 8`, []],
    [`SELECT r.*, i.number, i.title FROM incident_roles r JOIN incidents i ON i.id = r.incident_id WHERE r.user_id = (SELECT id FROM users ORDER BY email LIMIT 1) AND ${open}`, []],
  ];
}

/** The rows /incidents?status=open reads: a page of open incidents, severities, services. */
export function openListQueries(): [string, unknown[]][] {
  return [
    [`SELECT i.*, s.name FROM incidents i JOIN severities s ON s.key = i.severity_key WHERE i.status IN ('investigating', 'identified', 'monitoring') ORDER BY i.declared_at DESC, i.number DESC LIMIT 51`, []],
    ['SELECT * FROM severities ORDER BY level', []],
    ['SELECT service FROM service_counts WHERE incidents > 0 ORDER BY 1 LIMIT 500', []],
  ];
}

