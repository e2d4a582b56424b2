// Inputs of the hotspot login page procedures (console and tRPC share them).
import { z } from 'zod';

export const hotspotPreviewInput = z.object({
  routerId: z.uuid(),
  /** Absent: the tenant's language. */
  language: z.enum(['en', 'sw']).optional(),
});

export const hotspotInstallInput = z.object({
  routerId: z.uuid(),
  /**
   * Kasi's address as the router's hotspot clients reach it (pay page, page files); absent:
   * the server's public URL (KASI_PUBLIC_URL).
   */
  kasiUrl: z
    .url({
      protocol: /^https?$/,
      message: 'An http(s) address the router can reach, e.g. https://kasi.example',
    })
    .optional(),
});
