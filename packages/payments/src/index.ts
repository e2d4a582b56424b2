export * from './gateway.ts';
export * from './gateway-error.ts';
export * from './mpesa.config.ts';
export * from './mpesa.results.ts';
export * from './mpesa.gateway.ts';
export * from './stripe.config.ts';
export * from './stripe.gateway.ts';
