// Paraglide's compiler options, read by both the Vite plugin (vite.config.ts) and the CLI
// (`pnpm --filter @kasi/web i18n`, run by `check`). ADR 0023 explains the strategy order:
// the person's own choice, then the tenant's language, then the browser's, then English.
export default {
  outdir: './src/lib/paraglide',
  strategy: ['custom-choice', 'custom-tenant', 'preferredLanguage', 'baseLocale'],
  emitReadme: false,
};
