// The ten shapes of runbooks in the wild that the importer once got wrong (issue #20), each on a
// small excerpt written in the same shape as the file it was seen in.
import { describe, expect, it } from 'vitest';
import { importRunbookMarkdown, type ImportedRunbook } from '@/lib/runbooks/import';
import { stripPrompts } from '@/lib/runbooks/import/clean';
import { readReviewTemplate } from '@/lib/postmortems/generate';

const steps = (runbook: ImportedRunbook) => runbook.phases.flatMap((phase) => phase.steps);
const titles = (runbook: ImportedRunbook) => steps(runbook).map((step) => step.title);
const read = async (lines: string[]) => (await importRunbookMarkdown(lines.join('\n'))).runbooks;
const only = async (lines: string[]) => {
  const runbooks = await read(lines);
  expect(runbooks.map((r) => r.title)).toHaveLength(1);
  return runbooks[0]!;
};

describe('1. a procedure whose headings are its parts is one runbook', () => {
  it('keeps Preparation, Phase one, Phase two, Step 1 – … and Roll-back together as phases', async () => {
    const runbook = await only([
      '# Rotate the database certificates',
      '## Preparation',
      '- Announce the maintenance in #ops',
      '## Phase one',
      '### Step 1 – Stop chef-client',
      '```',
      'sudo systemctl stop chef-client',
      '```',
      '### Step 2 – Copy the new certificate',
      '```',
      'scp cert.pem db1:/etc/ssl/',
      '```',
      '## Phase two',
      '- Restart PostgreSQL on each replica',
      '## Roll-back',
      '- Restore the old certificate from /etc/ssl/backup',
    ]);
    expect(runbook.title).toBe('Rotate the database certificates');
    expect(runbook.phases.map((p) => p.title)).toEqual(['Preparation', 'Phase one', 'Phase two', 'Roll-back']);
    expect(steps(runbook).find((s) => s.command === 'sudo systemctl stop chef-client')?.title).toBe('Step 1 – Stop chef-client');
  });

  it('still splits a scenario list into one runbook per scenario', async () => {
    const runbooks = await read(['# Playbook', '## Common problems', '### Queue backed up', '- Scale the workers', '### Disk full', '- Clean the logs']);
    expect(runbooks.map((r) => r.title)).toEqual(['Queue backed up', 'Disk full']);
  });
});

describe('2. prose under an action heading is steps', () => {
  it('turns a prose-only Mitigation into a step instead of a note', async () => {
    const runbook = await only(['# KubePersistentVolumeFillingUp', '## Meaning', 'The volume is almost full.', '## Mitigation', 'Try allocating more storage to the volume. Resizing works online on most storage classes.']);
    expect(runbook.phases.map((p) => p.title)).toEqual(['Mitigation']);
    expect(steps(runbook)).toEqual([{ title: 'Try allocating more storage to the volume.', detail: 'Resizing works online on most storage classes.', command: null }]);
    expect(runbook.description).toContain('The volume is almost full.');
  });

  it('makes each sub-heading of a phase a step, even when its prose does not start with a verb', async () => {
    const runbook = await only([
      '# Search cluster health',
      'Make sure you understand the problem before jumping to a solution.',
      '',
      'The monitoring check reads the cluster health API every minute.',
      '## Investigating problems',
      '### View a live dashboard',
      'Follow the instructions to log in to the console. There are tabs for cluster and instance health.',
      '### Use the health API',
      'An alternative to the dashboard is the health API. Start with the `/_cluster/health` endpoint.',
      '',
      'Its answer looks like:',
      '```json',
      '{"status":"green","number_of_nodes":3}',
      '```',
      'A tunnel to the cluster can be opened with:',
      '```',
      'ssh -N -L 9200:search:80 jump-host',
      '```',
      '### Logging',
      'Access to logs is described in the logging documentation.',
      '## Fixing issues with the cluster',
      'Our provider should be the first point of contact. Response times are:',
      '',
      '- General guidance: 24 hours',
      '- Production system down: 1 hour',
      '',
      'Open requests through the support console.',
    ]);
    expect(runbook.phases.map((phase) => [phase.title, phase.steps.map((step) => step.title)])).toEqual([
      ['Steps', ['Make sure you understand the problem before jumping to a solution.']],
      ['Investigating problems', ['View a live dashboard', 'Use the health API', 'A tunnel to the cluster can be opened with', 'Logging']],
      ['Fixing issues with the cluster', ['Open requests through the support console.']],
    ]);
    // The phase's explanation and its list of response times explain the step; neither is one.
    expect(runbook.phases[2]!.steps[0]!.detail).toContain('Our provider should be the first point of contact.');
    expect(runbook.phases[2]!.steps[0]!.detail).toContain('- Production system down: 1 hour');
    const [, api, tunnel, logging] = runbook.phases[1]!.steps;
    // The sub-section keeps its own prose and example output; the next sub-section's prose is not appended to it.
    expect(api!.detail).toContain('Start with the `/_cluster/health` endpoint.');
    expect(api!.detail).toContain('"status":"green"');
    expect(tunnel!.command).toBe('ssh -N -L 9200:search:80 jump-host');
    expect(logging!.detail).toBe('Access to logs is described in the logging documentation.');
    // A description before the first heading that is not an instruction stays a description-like detail, not a step;
    // the response times list explains, it is no step.
    expect(steps(runbook).map((step) => step.title)).not.toContain('The monitoring check reads the cluster health API every minute.');
    expect(steps(runbook).some((step) => step.title.includes('General guidance'))).toBe(false);
  });
});

describe('3. inline commands and links are kept', () => {
  it('keeps inline code and links in step titles and takes a lone inline command as the command', async () => {
    const runbook = await only([
      '# Pod crash looping',
      '## Diagnosis',
      '- Check the logs: `kubectl -n $NAMESPACE logs $POD --previous`',
      '- Pull up the [Host Stats dashboard](https://grafana.example.com/d/host)',
      '- Runbook: [Link](https://runbooks.example.com/pod)',
    ]);
    expect(steps(runbook)).toEqual([
      { title: 'Check the logs: `kubectl -n $NAMESPACE logs $POD --previous`', detail: '', command: 'kubectl -n $NAMESPACE logs $POD --previous' },
      { title: 'Pull up the [Host Stats dashboard](https://grafana.example.com/d/host)', detail: '', command: null },
      { title: 'Runbook: [Link](https://runbooks.example.com/pod)', detail: '', command: null },
    ]);
  });

  it('resolves reference-style links', async () => {
    const runbook = await only(['# Errors', '## Resolution', '- Check [Kibana][logs] for the failing requests', '', '[logs]: https://kibana.example.com/app/discover']);
    expect(titles(runbook)).toEqual(['Check [Kibana](https://kibana.example.com/app/discover) for the failing requests']);
  });
});

describe('4. a long lead-in paragraph names the code block after it', () => {
  it('uses the first sentence as the title and keeps the rest as detail', async () => {
    const lead =
      'Find the most recent backup of the nightly schedule before restoring anything. ' +
      'Backups older than three days are pruned, so pick the newest one that completed; a backup that shows PartiallyFailed can still be restored, but only for the namespaces it lists as complete, and the restore will report every object it skipped as a warning you have to read.';
    const runbook = await only(['# Restore a namespace', '## Diagnosis', lead, '', '```', 'velero backup get', '```']);
    expect(steps(runbook)).toEqual([
      { title: 'Find the most recent backup of the nightly schedule before restoring anything.', detail: expect.stringContaining('Backups older than three days'), command: 'velero backup get' },
    ]);
  });
});

describe('5. headings are not matched on a word, and front matter is read', () => {
  it('does not swallow an alert group whose name contains "resources" into a note', async () => {
    const runbooks = await read(['# Alerts', '## kubernetes-resources', '### KubeCPUOvercommit', '- Add nodes to the cluster', '### KubeMemoryOvercommit', '- Add memory to the nodes']);
    expect(runbooks.map((r) => r.title)).toEqual(['KubeCPUOvercommit', 'KubeMemoryOvercommit']);
  });

  it('takes the title, tags and links from YAML front matter', async () => {
    const runbook = await only(['---', 'title: Router error ratio too high', 'tags: [router, http]', 'runbook_url: https://wiki.example.com/router', '---', '', '## Potential resolution steps', '- Roll back the last deploy']);
    expect(runbook.title).toBe('Router error ratio too high');
    expect(runbook.tags).toEqual(['router', 'http']);
    expect(runbook.references.find((r) => r.kind === 'links')?.markdown).toContain('https://wiki.example.com/router');
  });

  it('fills a heading the site generator would fill with the front matter title', async () => {
    const runbook = await only(['---', 'title: Delete terraform state lock', '---', '# <%= current_page.data.title %>', '', '1. Open the DynamoDB table', '2. Delete the lock item']);
    expect(runbook.title).toBe('Delete terraform state lock');
  });
});

describe('6. shell prompts are stripped', () => {
  it('keeps the commands of a transcript without prompts and output', async () => {
    const runbook = await only(['# Check the cluster', '## Diagnosis', 'List the nodes:', '', '```console', '$ kubectl get nodes', 'NAME     STATUS   ROLES', 'node-1   Ready    worker', '$ kubectl top nodes', '```']);
    expect(steps(runbook)[0]!.command).toBe('kubectl get nodes\nkubectl top nodes');
    expect(steps(runbook)[0]!.detail).toContain('node-1   Ready');
  });

  it('knows PowerShell, user@host and root prompts, and leaves comments in scripts alone', () => {
    expect(stripPrompts('PS C:\\> Get-Service sitrep', null).command).toBe('Get-Service sitrep');
    expect(stripPrompts('admin@db1:~$ sudo systemctl restart postgresql', 'bash').command).toBe('sudo systemctl restart postgresql');
    expect(stripPrompts('# systemctl restart nginx', 'console').command).toBe('systemctl restart nginx');
    expect(stripPrompts('# restart it\nsystemctl restart nginx', 'bash').command).toBe('# restart it\nsystemctl restart nginx');
  });
});

describe('7. alert catalogs: each alert is a runbook', () => {
  it('reads Meaning / Impact / Diagnosis / Mitigation sections', async () => {
    const runbooks = await read([
      '# Alert runbooks',
      '## etcd',
      '### EtcdMembersDown',
      '#### Meaning',
      'One or more etcd members are down.',
      '#### Impact',
      'The cluster may lose quorum.',
      '#### Diagnosis',
      '- Check the etcd pods: `kubectl -n kube-system get pods -l component=etcd`',
      '#### Mitigation',
      '- Restart the failed member',
      '### EtcdNoLeader',
      '#### Meaning',
      'A member has no leader.',
      '#### Mitigation',
      '- Check the network between the members',
    ]);
    expect(runbooks.map((r) => r.title)).toEqual(['EtcdMembersDown', 'EtcdNoLeader']);
    const down = runbooks[0]!;
    expect(down.description).toContain('One or more etcd members are down.');
    expect(down.description).toContain('The cluster may lose quorum.');
    expect(down.phases.map((p) => p.title)).toEqual(['Diagnosis', 'Mitigation']);
    expect(down.tags).toContain('etcd');
  });

  it('reads Severity / Message / Runbook lines as fields, not steps', async () => {
    const runbooks = await read([
      '# Alerts',
      '## KubePodCrashLooping',
      'Severity: warning',
      'Message: Pod is crash looping.',
      'Runbook: [Link](https://runbooks.example.com/KubePodCrashLooping)',
      '',
      '- Check the pod events',
      '## KubeNodeNotReady',
      'Severity: critical',
      'Message: A node is not ready.',
      '',
      '- Cordon and replace the node',
    ]);
    expect(runbooks.map((r) => [r.title, r.severities, titles(r)])).toEqual([
      ['KubePodCrashLooping', ['SEV3'], ['Check the pod events']],
      ['KubeNodeNotReady', ['SEV1'], ['Cordon and replace the node']],
    ]);
    expect(runbooks[0]!.description).toContain('Pod is crash looping.');
    expect(runbooks[0]!.references.find((r) => r.kind === 'links')?.markdown).toContain('https://runbooks.example.com/KubePodCrashLooping');
  });

  it('reads an alert table: one runbook per row', async () => {
    const runbooks = await read(['# Alerts', '## compactor', '|Name|Summary|Severity|Runbook|', '|---|---|---|---|', '|CompactorHalted|Compactor stopped.|warning|[link](https://x.example/halted)|', '|CompactorDown|Compactor is gone.|critical|[link](https://x.example/down)|']);
    expect(runbooks.map((r) => [r.title, r.severities, r.tags])).toEqual([
      ['CompactorHalted', ['SEV3'], ['compactor']],
      ['CompactorDown', ['SEV1'], ['compactor']],
    ]);
    expect(runbooks[0]!.description).toContain('Compactor stopped.');
  });
});

describe('8. footnote-style link lists are links', () => {
  it('keeps `- [1](https://…)` lists and References sections as a Links note', async () => {
    const runbook = await only(['# Disk full', '## Mitigation', '- Delete old logs', '', '- [1](https://docs.example.com/disk)', '- [2](https://docs.example.com/logs)', '## References', '- https://wiki.example.com/storage']);
    expect(titles(runbook)).toEqual(['Delete old logs']);
    const links = runbook.references.find((r) => r.kind === 'links')!.markdown;
    expect(links).toContain('https://docs.example.com/disk');
    expect(links).toContain('https://wiki.example.com/storage');
  });
});

describe('9. document notes are kept once', () => {
  it('keeps the contact table on the first runbook and points to it from the others', async () => {
    const runbooks = await read(['# Ops', '## Emergency contacts', '| Role | Phone |', '|---|---|', '| DBA | 123 |', '## Scenarios', '### Redis down', '- Restart redis', '### Disk full', '- Clean logs', '### Queue stuck', '- Restart workers']);
    expect(runbooks).toHaveLength(3);
    expect(runbooks[0]!.references.find((r) => r.kind === 'contacts')!.markdown).toContain('| DBA | 123 |');
    for (const other of runbooks.slice(1)) {
      const pointer = other.references.find((r) => r.kind === 'contacts')!;
      expect(pointer.markdown).not.toContain('123');
      expect(pointer.markdown).toContain('Redis down');
    }
  });
});

describe('10. a post-mortem template is not read as runbooks', () => {
  it('offers the review-template importer instead', async () => {
    const result = await importRunbookMarkdown(['# Postmortem template', 'Fill this in within five days.', '## Summary', '_What happened?_', '## Impact', '## Timeline', '## Root cause', '## Resolution', '## What went well', '## Action items', '- [ ] Add an owner'].join('\n'));
    expect(result.runbooks).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ kind: 'review_template', message: expect.stringContaining('Settings → Reviews') })]);
  });

  it('does not mistake a runbook with an Impact and a Timeline section for one', async () => {
    const result = await importRunbookMarkdown(['# Database failover', '## Impact', 'Writes fail.', '## Timeline', 'Expect 5 minutes.', '## Failover', '1. Promote the replica', '2. Repoint the app'].join('\n'));
    expect(result.runbooks).toHaveLength(1);
  });

  it('keeps the preamble as guidance and the template text as each section’s prompt', () => {
    const template = readReviewTemplate(['# Incident review', 'Schedule the meeting within 5 days.', '', '## Summary', '_Two sentences on what happened._', '## Timeline', '_Key moments, in UTC._', '## Root cause', '_Why it happened._'].join('\n'));
    expect(template.guidance).toBe('# Incident review\nSchedule the meeting within 5 days.');
    expect(template.sections.map((s) => [s.key, s.prompt])).toEqual([
      ['summary', '_Two sentences on what happened._'],
      ['timeline', '_Key moments, in UTC._'],
      ['root_cause', '_Why it happened._'],
    ]);
  });
});
