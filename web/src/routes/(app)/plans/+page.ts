import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:plans');
  // Both travel in one HTTP request; the figures say where each plan's codes are.
  const [plans, figures] = await Promise.all([
    api.plan.list.query(),
    api.voucher.figures.query({ by: 'plan' }),
  ]).catch(failLoad);
  return { plans, figures: new Map(figures) };
};
