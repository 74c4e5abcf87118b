// Words for people: the routing core (routing.ts, pure) names a route's escalation policy by its
// id; what is stored on a group and shown by Test route names it as people know it.

/** The routing core names a policy by its id; people know it by its name. */
export function namePolicies(text: string, policies: { id: string; name: string }[]): string {
  return policies.reduce((out, policy) => out.replaceAll(`escalation policy ${policy.id}`, `escalation policy “${policy.name}”`), text);
}
