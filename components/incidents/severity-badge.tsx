const tones: Record<string, string> = {
  SEV1: 'bg-red-600 text-white',
  SEV2: 'bg-orange-700 text-white',
  SEV3: 'bg-amber-300 text-amber-950',
  SEV4: 'bg-zinc-300 text-zinc-800 dark:bg-zinc-600 dark:text-zinc-100',
};

export function SeverityBadge({ severity, name }: { severity: string; name?: string }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${tones[severity] ?? tones.SEV4}`}
      title={name ? `${severity}: ${name}` : severity}
    >
      {severity}
    </span>
  );
}
