// Provider failures as typed domain errors: the code is stable, the message safe to show an
// operator (never a credential, never the provider's raw body).
import { unavailable, invalid, rateLimited } from '@kasi/domain';

export const gatewayDown = (gateway: string, message: string, details?: Record<string, unknown>) =>
  unavailable('PAYMENT.GATEWAY_UNAVAILABLE', `${gateway}: ${message}`, details);

export const gatewayRefused = (gateway: string, message: string, details?: Record<string, unknown>) =>
  invalid('PAYMENT.GATEWAY_REFUSED', `${gateway}: ${message}`, details);

export const gatewayBusy = (gateway: string, message: string, details?: Record<string, unknown>) =>
  rateLimited('PAYMENT.GATEWAY_BUSY', `${gateway}: ${message}`, details);
