// What the HTTP edge needs from the configuration: who may tell us the client's address,
// how large a request body may be, and whether the public URL is HTTPS (HSTS, cookies).
export interface HttpSettings {
  /** Addresses and CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed. */
  trustedProxies: readonly string[];
  /** Largest /trpc request body, in bytes. */
  maxBodyBytes: number;
  publicUrl: string;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  trustedProxies: [],
  maxBodyBytes: 1024 * 1024,
  publicUrl: 'http://localhost:3000',
};
