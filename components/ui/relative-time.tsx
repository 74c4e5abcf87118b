import { formatAgo, formatDateTime } from '@/lib/platform/time';

/** A time shown relative to now ("5 min ago"), with the exact UTC time on hover and for assistive tech. */
export function RelativeTime({ date, now = new Date() }: { date: Date | string; now?: Date }) {
  const value = typeof date === 'string' ? new Date(date) : date;
  const ms = now.getTime() - value.getTime();
  return (
    <time dateTime={value.toISOString()} title={formatDateTime(value)}>
      {ms >= 0 ? formatAgo(ms) : formatDateTime(value)}
    </time>
  );
}
