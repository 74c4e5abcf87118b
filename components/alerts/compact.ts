// Dense controls for the alert screens, where every row carries its own buttons and a route its
// own matcher fields: the shared field and button styles, smaller and without the full width.
import { buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';

type Variant = Parameters<typeof buttonClasses>[0];

export const compactInput = inputClasses.replace('block w-full', 'block').replace('px-2.5 py-1.5 text-sm', 'px-2 py-1 text-xs');

export function compactButton(variant: Variant): string {
  return buttonClasses(variant).replace('px-3 py-1.5 text-sm', 'px-2 py-0.5 text-xs');
}
