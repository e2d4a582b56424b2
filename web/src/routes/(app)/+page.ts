// The operator's first screen. Agents have no console: their home is the agent app.
import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, depends }) => {
  depends('app:dashboard');
  const { session } = await parent();
  if (session.role === 'agent') redirect(307, resolve('/agent/(unlocked)'));
  const [summary, checklist] = await Promise.all([
    api.dashboard.summary.query(),
    api.settings.gettingStarted.query(),
  ]).catch(failLoad);
  return { summary, checklist };
};
