import { Card } from '@/components/ui/card';
import type { AttachmentDto } from '@/lib/attachments/schema';
import { formatBytes } from '@/lib/platform/errors';
import { formatDateTime } from '@/lib/platform/time';

/** The incident's screenshots and files, kept with its review: images as thumbnails that open full size, the rest as downloads. */
export function ReviewAttachments({ attachments }: { attachments: AttachmentDto[] }) {
  if (!attachments.length) return null;
  return (
    <Card title={`Attachments (${attachments.length})`}>
      <ul className="grid grid-cols-2 gap-3 text-xs sm:grid-cols-4 lg:grid-cols-6" aria-label="Attachments of the incident">
        {attachments.map((a) => (
          <li key={a.id} className="min-w-0">
            <a href={a.url} className="block rounded border border-zinc-200 p-1 hover:border-sky-400 dark:border-zinc-700" target="_blank" rel="noopener">
              {a.image ? (
                // Served by our own API with the incident's permission check; next/image would proxy it needlessly.
                // eslint-disable-next-line @next/next/no-img-element
                <img src={a.url} alt={a.filename} loading="lazy" className="h-24 w-full rounded object-cover" />
              ) : (
                <span className="flex h-24 items-center justify-center rounded bg-zinc-100 px-2 text-center text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">Download</span>
              )}
            </a>
            <p className="mt-1 truncate font-medium" title={a.filename}>
              {a.filename}
            </p>
            <p className="truncate text-zinc-500">
              {formatBytes(a.size)} · {a.uploadedBy?.name ?? 'someone'} · {formatDateTime(a.createdAt)}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
