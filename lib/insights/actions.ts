'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { servicesSchema } from '@/lib/incidents/schema';
import { findRelatedIncidents } from '@/lib/insights/related';

/**
 * The declare dialog's "it happened before": earlier incidents on the services being typed. Part of
 * declaring, so it needs what declaring needs (a viewer, who can't declare, is refused like any
 * other action of the declare dialog).
 */
export const relatedForServicesAction = defineAction('incidents.work', z.object({ services: servicesSchema }), async ({ services }, { actor }) => findRelatedIncidents(services, new Date(), actor));
