import { ChannelEditor } from '@/components/notifications/channel-editor';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { env } from '@/lib/platform/env';
import { listSeverities } from '@/lib/severities/queries';

export const metadata = { title: 'New notification channel' };

export default async function NewNotificationChannelPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins add notification channels." />;
  const severities = await listSeverities();
  return (
    <Card title="New notification channel">
      <ChannelEditor severities={severities.map(({ key, name }) => ({ key, name }))} smtpConfigured={Boolean(env.SITREP_SMTP_URL)} />
    </Card>
  );
}
