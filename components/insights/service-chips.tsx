import Link from 'next/link';

/** An incident's services as chips, each opening the service's page (/services/<name>). */
export function ServiceChips({ services, label = 'Affected services' }: { services: string[]; label?: string }) {
  if (!services.length) return null;
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1">
      {services.map((service) => (
        <li key={service}>
          <Link
            href={`/services/${encodeURIComponent(service)}`}
            className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 hover:bg-zinc-200 hover:underline dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700"
          >
            {service}
          </Link>
        </li>
      ))}
    </ul>
  );
}
