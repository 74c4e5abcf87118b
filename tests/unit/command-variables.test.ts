// Runbook command placeholders filled from the incident (issue #16, item 11).
import { describe, expect, it } from 'vitest';
import { commandText, fillCommand, knownValues, variableName } from '@/lib/checklists/command-variables';

const incident = { key: 'INC-12', number: 12, severity: 'SEV1', services: ['checkout'] };

describe('fillCommand', () => {
  it('fills what the incident knows, in every spelling, keeping the original for the hover', () => {
    const parts = fillCommand('kubectl rollout undo deploy/$SERVICE -n ${NAMESPACE} # {{incident.key}} <service>', knownValues(incident));
    expect(parts).toEqual([
      { kind: 'text', text: 'kubectl rollout undo deploy/' },
      { kind: 'variable', name: 'SERVICE', original: '$SERVICE', value: 'checkout', choices: [] },
      { kind: 'text', text: ' -n ' },
      { kind: 'variable', name: 'NAMESPACE', original: '${NAMESPACE}', value: null, choices: [] },
      { kind: 'text', text: ' # ' },
      { kind: 'variable', name: 'INCIDENT_KEY', original: '{{incident.key}}', value: 'INC-12', choices: [] },
      { kind: 'text', text: ' ' },
      { kind: 'variable', name: 'SERVICE', original: '<service>', value: 'checkout', choices: [] },
    ]);
    expect(commandText(parts)).toBe('kubectl rollout undo deploy/checkout -n ${NAMESPACE} # INC-12 checkout');
    expect(commandText(parts, { NAMESPACE: ' prod ' })).toBe('kubectl rollout undo deploy/checkout -n prod # INC-12 checkout');
  });

  it('leaves the shell’s own and lower-case variables alone', () => {
    const command = 'for pod in $(kubectl get pods -o name); do echo $pod $HOME ${PATH}; done';
    expect(fillCommand(command, knownValues(incident))).toEqual([{ kind: 'text', text: command }]);
  });

  it('offers the services as choices when there are several, and fills nothing it cannot know', () => {
    const parts = fillCommand('restart $SERVICE', knownValues({ ...incident, services: ['api', 'worker'] }));
    expect(parts[1]).toEqual({ kind: 'variable', name: 'SERVICE', original: '$SERVICE', value: null, choices: ['api', 'worker'] });
    expect(commandText(parts)).toBe('restart $SERVICE');
  });

  it('names variables the same whatever their spelling', () => {
    expect(['incident.key', 'incident-key', 'IncidentKey', 'INCIDENT_KEY'].map(variableName)).toEqual(Array(4).fill('INCIDENT_KEY'));
  });
});
