'use client';

// The command view's panels whose code loads when a panel is first opened, not with the page:
// the panels start closed, and their client code (checklists, remediation, updates, alerts,
// members, merging) was about a fifth of the page's JavaScript (issue #21: at most 150 KB
// gzipped per page). Panels (panels.tsx) renders a panel's content only once it has been opened,
// so nothing here is rendered, and nothing of it fetched, before then; once opened it stays
// mounted, so an update being written survives closing the panel.
import dynamic from 'next/dynamic';

function Loading() {
  return (
    <p role="status" className="text-sm text-zinc-500">
      Loading…
    </p>
  );
}

export const ChecklistPanel = dynamic(() => import('@/components/checklists/checklist-panel').then((module) => module.ChecklistPanel), { loading: Loading });
export const RemediationPanel = dynamic(() => import('@/components/remediation/remediation-panel').then((module) => module.RemediationPanel), { loading: Loading });
export const CommunicationsPanel = dynamic(() => import('@/components/communications/communications-panel').then((module) => module.CommunicationsPanel), { loading: Loading });
export const IncidentAlerts = dynamic(() => import('@/components/alerts/incident-alerts').then((module) => module.IncidentAlerts), { loading: Loading });
export const MembersPanel = dynamic(() => import('@/components/incidents/command/members-panel').then((module) => module.MembersPanel), { loading: Loading });
export const MergeForm = dynamic(() => import('@/components/incidents/command/merge-form').then((module) => module.MergeForm), { loading: Loading });
