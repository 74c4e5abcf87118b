// Picking the runbook for an alert: its runbook_url annotation, else its alertname against the
// imported runbooks' titles, tags and source pages.
import { describe, expect, it } from 'vitest';
import { linkRunbook, nameWords, type RunbookCandidate } from '@/lib/alerts/runbook-link';

const library: RunbookCandidate[] = [
  { id: '0b6f3c1e-2a4d-4f5b-8c7d-9e0f1a2b3c4d', title: 'Database Failover', tags: ['postgres', 'PostgresPrimaryDown'], sourceUrl: 'https://wiki.example.com/runbooks/db-failover' },
  { id: '1c7a4d2f-3b5e-4a6c-9d8e-0f1a2b3c4d5e', title: 'High Error Rate', tags: [], sourceUrl: null },
  { id: '2d8b5e3a-4c6f-4b7d-8e9f-1a2b3c4d5e6f', title: 'High error rate on checkout (payments)', tags: ['checkout'] },
  { id: '3e9c6f4b-5d7a-4c8e-9fa0-2b3c4d5e6f7a', title: 'Disk cleanup', tags: [], sourceUrl: 'https://git.example.com/ops/runbooks/blob/main/DiskFull.md' },
  { id: '4fad7a5c-6e8b-4d9f-a0b1-3c4d5e6f7a8b', title: 'Queue Backlog', tags: [] },
];
const alert = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({ labels, annotations });

describe('linkRunbook', () => {
  it('follows runbook_url to a Sitrep runbook page', () => {
    const link = linkRunbook(alert({ alertname: 'Anything' }, { runbook_url: 'https://sitrep.example.com/runbooks/4FAD7A5C-6E8B-4D9F-A0B1-3C4D5E6F7A8B' }), library);
    expect(link).toEqual({
      runbook: { id: '4fad7a5c-6e8b-4d9f-a0b1-3c4d5e6f7a8b', title: 'Queue Backlog', match: 'runbook_url' },
      url: 'https://sitrep.example.com/runbooks/4FAD7A5C-6E8B-4D9F-A0B1-3C4D5E6F7A8B',
      reason: 'The alert’s runbook_url is the Sitrep runbook “Queue Backlog”',
    });
  });

  it('follows runbook_url to the page a runbook was imported from, however it is spelled', () => {
    const link = linkRunbook(alert({ alertname: 'Anything' }, { runbook_url: 'HTTPS://WIKI.example.com/runbooks/db-failover/#steps' }), library);
    expect(link.runbook).toEqual({ id: '0b6f3c1e-2a4d-4f5b-8c7d-9e0f1a2b3c4d', title: 'Database Failover', match: 'source_url' });
  });

  it('keeps an outside runbook_url as a link and still looks the alert name up', () => {
    expect(linkRunbook(alert({ alertname: 'HighErrorRate' }, { runbook_url: 'https://notion.example.com/high-errors' }), library)).toEqual({
      runbook: { id: '1c7a4d2f-3b5e-4a6c-9d8e-0f1a2b3c4d5e', title: 'High Error Rate', match: 'title' },
      url: 'https://notion.example.com/high-errors',
      reason: 'The runbook “High Error Rate” is named after the alert "HighErrorRate"',
    });
    expect(linkRunbook(alert({ alertname: 'Unknown' }, { runbook_url: 'https://notion.example.com/x' }), library)).toEqual({
      runbook: null,
      url: 'https://notion.example.com/x',
      reason: 'The alert links its own runbook (runbook_url), which is not one imported into Sitrep',
    });
  });

  it('matches the alert name to a title in any spelling, then a tag, then a source page name', () => {
    for (const name of ['HighErrorRate', 'high_error_rate', 'high-error-rate', 'HIGH ERROR RATE']) {
      expect(linkRunbook(alert({ alertname: name }), library).runbook?.title, name).toBe('High Error Rate');
    }
    expect(linkRunbook(alert({ alertname: 'PostgresPrimaryDown' }), library)).toMatchObject({
      runbook: { title: 'Database Failover', match: 'tag' },
      reason: 'The runbook “Database Failover” is tagged "PostgresPrimaryDown"',
    });
    expect(linkRunbook(alert({ alertname: 'DiskFull' }), library)).toMatchObject({ runbook: { title: 'Disk cleanup', match: 'source_page' } });
  });

  it('falls back to a title that contains the alert’s words, for names of two words or more', () => {
    expect(linkRunbook(alert({ alertname: 'ErrorRate' }), library)).toMatchObject({
      runbook: { title: 'High Error Rate', match: 'title_words' },
      reason: 'The runbook “High Error Rate” mentions the alert "ErrorRate" in its title (1 other runbook matches the same way; the first listed wins)',
    });
    // One word is too vague to pick a runbook by.
    expect(linkRunbook(alert({ alertname: 'Backlog' }), library).runbook).toBeNull();
  });

  it('ignores runbook links that are not http(s) and says when nothing matches', () => {
    expect(linkRunbook(alert({ alertname: 'Nope' }, { runbook_url: 'javascript:alert(1)' }), library)).toEqual({
      runbook: null,
      url: null,
      reason: 'No runbook is named, tagged or imported after the alert "Nope", and it has no runbook_url',
    });
    expect(linkRunbook(alert({}), library).reason).toBe('The alert has neither a runbook_url annotation nor an alertname to look a runbook up by');
    expect(linkRunbook(alert({ alertname: 'HighErrorRate' }), []).runbook).toBeNull();
  });

  it('links a storm against a large library quickly', () => {
    const big = Array.from({ length: 2_000 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, title: `Runbook number ${i}`, tags: [`tag-${i}`] }));
    big.push({ id: '00000000-0000-4000-8000-999999999999', title: 'Checkout Latency', tags: [] });
    const started = performance.now();
    let linked = 0;
    for (let i = 0; i < 1_000; i++) if (linkRunbook(alert({ alertname: 'CheckoutLatency', instance: `host-${i}` }), big).runbook) linked++;
    console.info(`alerts-runbook-link: 1,000 alerts linked against 2,001 runbooks in ${(performance.now() - started).toFixed(0)} ms`);
    expect(linked).toBe(1_000);
  });
});

describe('nameWords', () => {
  it('splits alert and runbook names into comparable words', () => {
    expect(nameWords('KubePodCrashLooping')).toEqual(['kube', 'pod', 'crash', 'looping']);
    expect(nameWords('HTTPErrorRate5xx')).toEqual(['http', 'error', 'rate5xx']);
    expect(nameWords('Datenbank-Ausfall (Primär)')).toEqual(['datenbank', 'ausfall', 'primar']);
  });
});
