// Router input shapes, shared by tRPC, the CLI and the PWA.
import { z } from 'zod';

export const routerInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    host: z.ipv4({ message: 'The router’s IP address (RADIUS matches routers by address)' }),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.boolean().default(true),
    allowPlain: z.boolean().default(false),
    caCert: z.string().trim().max(20_000).nullable().default(null),
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(128),
  })
  .refine((r) => r.tls || r.allowPlain, {
    message: 'Use api-ssl, or explicitly allow the unencrypted API',
    path: ['allowPlain'],
  });
export type RouterInput = z.input<typeof routerInput>;

export const wiringInput = z.object({
  routerId: z.uuid(),
  /** Absent: the tenant's RADIUS address (Settings → RADIUS). */
  radiusAddress: z.ipv4({ message: 'The address the router should send RADIUS to' }).optional(),
  /** Absent: the ports the running radiusd reports (never an assumed 1812/1813). */
  authPort: z.number().int().min(1).max(65535).optional(),
  acctPort: z.number().int().min(1).max(65535).optional(),
});

export const routerPatchInput = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  tls: z.boolean().optional(),
  allowPlain: z.boolean().optional(),
  caCert: z.string().trim().max(20_000).nullable().optional(),
  username: z.string().trim().min(1).max(64).optional(),
  password: z.string().min(1).max(128).optional(),
});
