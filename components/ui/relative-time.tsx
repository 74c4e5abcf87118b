/** A time shown relative to now ("5 min ago"), with the exact UTC time on hover and for assistive tech. */
export function RelativeTime({ date, now = new Date() }: { date: Date | string; now?: Date }) {
  const value = typeof date === 'string' ? new Date(date) : date;
  const seconds = Math.round((now.getTime() - value.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const unit = abs < 60 ? 'seconds' : abs < 3600 ? 'minutes' : abs < 86400 ? 'hours' : 'days';
  const amount = unit === 'seconds' ? seconds : unit === 'minutes' ? seconds / 60 : unit === 'hours' ? seconds / 3600 : seconds / 86400;
  const text = abs < 10 ? 'just now' : new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' }).format(-Math.round(amount), unit);
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={iso.replace('T', ' ').slice(0, 19) + ' UTC'}>
      {text}
    </time>
  );
}
