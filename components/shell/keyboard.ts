// What the keyboard shortcuts share: when a key press belongs to a field (never a shortcut), and
// how a shortcut reaches an element another component rendered (by its data-shortcut name), so
// the shortcuts and the command palette need no handle on the command view's state.

/** True while the person is typing in a field: no single-key shortcut fires then. */
export function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)));
}

/** The element marked `data-shortcut="<name>"` on this page, if it is shown. */
export function shortcutTarget(name: string): HTMLElement | null {
  const found = [...document.querySelectorAll<HTMLElement>(`[data-shortcut="${name}"]`)];
  return found.find((element) => element.getClientRects().length > 0) ?? found[0] ?? null;
}

/** Focuses (fields) or presses (buttons) the element marked `name`; false when the page has none. */
export function triggerShortcut(name: string): boolean {
  const element = shortcutTarget(name);
  if (!element) return false;
  if (element instanceof HTMLButtonElement || element instanceof HTMLAnchorElement) element.click();
  else {
    element.scrollIntoView({ block: 'nearest' });
    element.focus();
  }
  return true;
}

/** The two-key shortcuts' destinations ("g d" and so on). */
export const goTo: Record<string, { href: string; label: string }> = {
  d: { href: '/', label: 'Dashboard' },
  i: { href: '/incidents', label: 'Incidents' },
  r: { href: '/runbooks', label: 'Runbooks' },
};

/** The overlay's list; the palette shows the same keys beside its commands. */
export const shortcutList: { keys: string[]; what: string }[] = [
  { keys: ['Ctrl', 'K'], what: 'Command palette (⌘K on a Mac)' },
  { keys: ['?'], what: 'This list' },
  { keys: ['d'], what: 'Declare an incident' },
  { keys: ['n'], what: 'Write a note (command view)' },
  { keys: ['/'], what: 'Search the timeline (command view)' },
  { keys: ['s'], what: 'Change the status (command view)' },
  { keys: ['e'], what: 'Edit the details (command view)' },
  { keys: ['g', 'd'], what: 'Go to the dashboard' },
  { keys: ['g', 'i'], what: 'Go to incidents' },
  { keys: ['g', 'r'], what: 'Go to runbooks' },
  { keys: ['Esc'], what: 'Close a panel or dialog' },
];
