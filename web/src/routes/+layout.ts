// A static SPA: the Kasi server hands out index.html for every path and all data comes
// from /trpc in the browser, so nothing is rendered on a server or at build time.
export const ssr = false;
export const prerender = false;
