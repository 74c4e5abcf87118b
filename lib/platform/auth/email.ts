// Shared by forms in the browser and by the server: no server-only imports here.
import { z } from 'zod';

/** An email address as Sitrep stores it: trimmed, lower case. */
export const emailSchema = z
  .string({ error: 'Enter an email address' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address, like ana@example.com' }));
