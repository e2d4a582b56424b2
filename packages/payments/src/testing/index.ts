// Provider fakes for tests (unit, integration, e2e): real sockets on 127.0.0.1.
export * from './fake-server.ts';
export * from './daraja.fake.ts';
export * from './stripe.fake.ts';
export * from './paypal.fake.ts';
