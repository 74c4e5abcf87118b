// Which remediation actions matter for an incident: the ones its runbook steps fire, the ones
// made for its services, and the ones tagged like its runbooks come first, each saying why;
// every other action follows, so nothing an admin defined is out of reach. Pure: the command
// view passes in what it already read.
import type { ActionDto } from '@/lib/remediation/schema';

export type RankedAction = { action: ActionDto; reasons: string[] };

const lower = (items: readonly string[]) => new Set(items.map((item) => item.toLowerCase()));

export function rankActions(
  actions: readonly ActionDto[],
  incident: { services: readonly string[] },
  runbooks: { steps: readonly { title: string; remediationActionId: string | null }[]; tags: readonly string[] },
): { linked: RankedAction[]; other: ActionDto[] } {
  const services = lower(incident.services);
  const tags = lower(runbooks.tags);
  const linked: (RankedAction & { weight: number })[] = [];
  const other: ActionDto[] = [];
  for (const action of actions) {
    const steps = runbooks.steps.filter((step) => step.remediationActionId === action.id).map((step) => `runbook step “${step.title}”`);
    const forServices = action.services.filter((service) => services.has(service.toLowerCase())).map((service) => `service ${service}`);
    const forTags = action.tags.filter((tag) => tags.has(tag.toLowerCase())).map((tag) => `tag ${tag}`);
    const reasons = [...steps.slice(0, 2), ...forServices, ...forTags];
    if (reasons.length) linked.push({ action, reasons, weight: steps.length * 4 + forServices.length * 2 + forTags.length });
    else other.push(action);
  }
  linked.sort((a, b) => b.weight - a.weight || a.action.name.localeCompare(b.action.name));
  return { linked: linked.map(({ action, reasons }) => ({ action, reasons })), other };
}
