export * from './hotspot-pages.ts';
export * from './hotspot-page.text.ts';
export * from './router-variables.ts';
export { MD5_SCRIPT } from './md5.script.ts';
export * from './hotspot-page.input.ts';
export * from './walled-garden.ts';
