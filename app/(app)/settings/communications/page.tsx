import Link from 'next/link';
import { BrandingForm, NewTemplateForm, TemplateForm } from '@/components/communications/template-forms';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { getBranding, listTemplates } from '@/lib/communications/queries';
import { templateSuggestions } from '@/lib/communications/suggestions';
import { UPDATE_VARIABLES } from '@/lib/communications/template';

export const metadata = { title: 'Communications' };

export default async function CommunicationsSettingsPage() {
  const actor = await requireUser('read');
  const canEdit = can(actor, 'settings.manage');
  const [templates, branding, suggestions] = await Promise.all([listTemplates(), getBranding(), canEdit ? templateSuggestions() : []]);
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-4">
        <Card title="Status page" actions={<Link href="/status" className="text-xs text-sky-700 hover:underline dark:text-sky-400">Open /status ↗</Link>}>
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
            The public page at <code>/status</code> (no sign-in) shows incidents that have a public update, with those updates only. {canEdit ? '' : 'Only admins change its branding.'}
          </p>
          <BrandingForm branding={branding} canEdit={canEdit} />
        </Card>
        <Card title={`Update templates (${templates.length})`}>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The Communications Lead starts each status update from one of these, then edits it. Variables are filled in with the incident’s details when the update is drafted or posted.</p>
          <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {templates.map((template) => (
              <TemplateForm key={template.key} template={template} canEdit={canEdit} />
            ))}
          </div>
        </Card>
        {canEdit ? (
          <Card title="Add a template">
            <NewTemplateForm suggestions={suggestions} />
          </Card>
        ) : null}
      </div>
      <Card title="Variables">
        <ul className="space-y-1 text-xs">
          {UPDATE_VARIABLES.map((v) => (
            <li key={v.name}>
              <code className="text-sky-700 dark:text-sky-400">{`{{${v.name}}}`}</code> <span className="text-zinc-500">{v.description}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
