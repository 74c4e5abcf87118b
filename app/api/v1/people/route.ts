import { apiRoute, json } from '@/lib/platform/http/route';
import { searchPeopleOperation } from '@/lib/users/operations';
import { searchPeople } from '@/lib/users/queries';

export const GET = apiRoute(searchPeopleOperation, async ({ query }) => json({ items: await searchPeople(query) }));
