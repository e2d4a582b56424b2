// What the orchestrator asks of the load generator and what it gets back. The generator
// runs in its own process, so both travel as JSON.

export type RequestKind = 'auth' | 'acct-start' | 'acct-interim';

export interface LoadPlan {
  host: '127.0.0.1';
  port: number;
  secret: string;
  kind: RequestKind;
  /** closed: keep `concurrency` requests in flight; open: send at `rate` per second. */
  mode: 'closed' | 'open';
  concurrency: number;
  rate: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  /** One user name (= voucher code = password) per line. */
  usersFile: string;
  /** Users [userFrom, userTo) are the ones logging in or accounting. */
  userFrom: number;
  userTo: number;
  /** Interim-Updates cycle over the sessions the Start run opened (0..sessions-1). */
  sessions: number;
  sockets: number;
  /** When set, every counted reply's (scheduled send time, ms since the epoch; latency, ms) is written here as CSV. */
  traceFile?: string;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadResult {
  kind: RequestKind;
  mode: 'closed' | 'open';
  windowMs: number;
  /** Requests sent during the measurement window (open loop: those the latencies describe). */
  sent: number;
  /** Accept / Accounting-Response replies received during the window. */
  ok: number;
  rejects: number;
  /** Requests sent in the window that got no reply within the timeout. */
  lost: number;
  /**
   * Replies that matched no outstanding request or failed verification against it: late
   * replies to requests already given up (their Identifier may be in use again), or forgeries.
   */
  unmatched: number;
  /** Open loop: sends skipped because every Identifier on every socket was busy. */
  skipped: number;
  okPerSecond: number;
  latency: LatencySummary;
  /** Starts sent in total (warm-up included): the sessions an Interim run can update. */
  sessionsOpened: number;
  generatorCpuPercent: number;
  /** Reject reasons as Reply-Message texts, to make a misconfiguration obvious. */
  rejectMessages: Record<string, number>;
}

/** Progress lines the generator prints so the orchestrator can sample CPU over the same window. */
export type LoadEvent =
  { event: 'window-start' } | { event: 'window-end' } | { event: 'result'; result: LoadResult };
