// A post-mortem template pasted into the runbook importer is handed to the review-template form
// (Settings → Reviews) through the tab's session storage, so the person does not paste it twice.
export const REVIEW_TEMPLATE_DRAFT_KEY = 'sitrep:review-template-draft';
export const REVIEW_TEMPLATE_HANDOFF = 'from=runbook-import';
