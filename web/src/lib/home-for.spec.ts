import { describe, expect, it, vi } from 'vitest';

// Route ids as SvelteKit resolves them without a base path: groups drop out of the address.
vi.mock('$app/paths', () => ({ resolve: (id: string) => id.replace(/\/\([^)]+\)/g, '') || '/' }));
const { homeFor } = await import('./home-for.ts');

describe('home for a role', () => {
  it('sends agents to the agent app', () => {
    expect(homeFor('agent')).toBe('/agent');
  });

  it.each(['owner', 'admin', 'operator', 'viewer'])('lands a %s on the dashboard', (role) => {
    expect(homeFor(role)).toBe('/');
  });
});
