import { z } from 'zod';

const minutes = (what: string) =>
  z.coerce
    .number({ error: `${what} is a number of minutes` })
    .int(`${what} is a whole number of minutes`)
    .min(1, `${what} is at least 1 minute`)
    .max(10_080, `${what} is at most 10,080 minutes (a week)`);

export const severityUpdateSchema = z.object({
  key: z.string().trim().toUpperCase().regex(/^SEV\d+$/, 'Unknown severity'),
  name: z.string({ error: 'Name the severity' }).trim().min(1, 'Name the severity').max(40, 'Keep the name under 40 characters'),
  description: z.string().trim().max(500, 'Keep the description under 500 characters').default(''),
  responseTargetMinutes: minutes('The response target'),
  updateCadenceMinutes: minutes('The update cadence'),
  // A checkbox: present ("on") when ticked.
  reviewRequired: z.preprocess((value) => value === true || value === 'on' || value === 'true', z.boolean()).default(false),
});
export type SeverityUpdate = z.input<typeof severityUpdateSchema>;
