// Opening a command view panel from anywhere on the page, apart from Panels itself (panels.tsx):
// the command palette, which every page loads, needs only this, not the panels' code.

/** The event Panels listens for; its detail is the panel's id. */
export const OPEN_PANEL_EVENT = 'sitrep:panel';

/** Opens a panel from anywhere on the page (the command palette): `openPanel('remediation')`. */
export function openPanel(id: string): void {
  window.dispatchEvent(new CustomEvent(OPEN_PANEL_EVENT, { detail: id }));
}
