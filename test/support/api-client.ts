// A typed tRPC client for tests, logged in as an operator over real HTTP.
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@kasi/server';
import { registerSecrets, registerSecretsIn } from './run-secrets.ts';

export async function apiAs(baseUrl: string, email: string, password: string) {
  let cookie = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/trpc`,
        transformer: superjson,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (url, init) => {
          // Credentials the test sends or gets back are checked against the run's logs.
          if (typeof init?.body === 'string') registerSecretsIn(parseJson(init.body));
          const res = await fetch(url, init as RequestInit);
          void res
            .clone()
            .text()
            .then((t) => registerSecretsIn(parseJson(t)));
          const set = res.headers.get('set-cookie');
          if (set) cookie = set.split(';')[0] ?? '';
          return res;
        },
      }),
    ],
  });
  registerSecrets('password', [password]);
  await client.auth.login.mutate({ email, password });
  return client;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
