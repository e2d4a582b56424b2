// A typed tRPC client for tests, logged in as an operator over real HTTP.
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@kasi/server';

export async function apiAs(baseUrl: string, email: string, password: string) {
  let cookie = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/trpc`,
        transformer: superjson,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (url, init) => {
          const res = await fetch(url, init as RequestInit);
          const set = res.headers.get('set-cookie');
          if (set) cookie = set.split(';')[0] ?? '';
          return res;
        },
      }),
    ],
  });
  await client.auth.login.mutate({ email, password });
  return client;
}
