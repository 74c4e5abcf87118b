'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { servicesSchema } from '@/lib/incidents/schema';
import { findRelatedIncidents } from '@/lib/insights/related';

/** The declare dialog's "it happened before": earlier incidents on the services being typed. */
export const relatedForServicesAction = defineAction('read', z.object({ services: servicesSchema }), async ({ services }, { actor }) => findRelatedIncidents(services, new Date(), actor));
