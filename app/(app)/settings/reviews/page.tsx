import { ReviewTemplateForm } from '@/components/postmortems/review-template-form';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSeverities } from '@/lib/severities/queries';
import { defaultTemplateSections } from '@/lib/postmortems/generate';
import { listReviewTemplates } from '@/lib/postmortems/templates';

export const metadata = { title: 'Reviews' };

export default async function ReviewSettingsPage() {
  const actor = await requireUser('read');
  const canEdit = can(actor, 'settings.manage');
  const [templates, severities] = await Promise.all([listReviewTemplates(), listSeverities()]);
  const keys = severities.map((s) => s.key);
  return (
    <div className="space-y-4">
      <Card title="Post-incident reviews">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {severities.filter((s) => s.reviewRequired).map((s) => s.key).join(' and ') || 'No severity'} incidents close only once their review is published. Without a template of its own, a review has the default sections:{' '}
          {defaultTemplateSections().map((s) => s.title).join(' · ')}.
        </p>
      </Card>
      <Card title={`Review templates (${templates.length})`}>
        <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {templates.map((template) => (
            <ReviewTemplateForm key={template.id} template={template} severities={keys} canEdit={canEdit} />
          ))}
          {templates.length === 0 ? <p className="pb-2 text-sm text-zinc-500">None yet: every severity uses the default.</p> : null}
        </div>
      </Card>
      {canEdit ? (
        <Card title="Add a review template">
          <ReviewTemplateForm severities={keys} canEdit />
        </Card>
      ) : null}
    </div>
  );
}
