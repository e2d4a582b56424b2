// Types the PWA and tests may import. No runtime server code leaks through here.
export type { AppRouter } from './trpc/app.router.ts';
