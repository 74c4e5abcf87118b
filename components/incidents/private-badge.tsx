/** Marks an incident only its members and admins can see, wherever it is listed. */
export function PrivateBadge() {
  return (
    <span
      title="Private: only its members (the declarer, role holders, experts and people added) and admins can see it"
      className="inline-flex items-center rounded bg-violet-50 px-1.5 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-900"
    >
      Private
    </span>
  );
}
