// "/" has no screen of its own: plans are the operator's home.
import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import type { PageLoad } from './$types';

export const load: PageLoad = () => redirect(307, resolve('/(app)/plans'));
