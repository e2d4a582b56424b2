import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => ({ plans: await api.plan.list.query().catch(failLoad) });
