// Where each role starts: agents sell from the agent app, everyone else opens the dashboard.
import { resolve } from '$app/paths';

export function homeFor(role: string): string {
  return role === 'agent' ? resolve('/agent/(unlocked)') : resolve('/(app)');
}
