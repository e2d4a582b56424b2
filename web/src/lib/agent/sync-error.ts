// Why a sync attempt failed, in the few kinds the engine acts on differently.
//   network:    no answer (no signal, server down) — retry with backoff.
//   server:     Kasi answered with an unexpected error — retry with backoff.
//   signed-out: the session ended — wait for the agent to log in again.
//   refused:    this phone or agent may not sync (revoked, not an agent) — wait for a person.
//   invalid:    Kasi could not read the request — find the op it cannot read.
export type SyncErrorKind = 'network' | 'server' | 'signed-out' | 'refused' | 'invalid';

export class SyncError extends Error {
  readonly kind: SyncErrorKind;
  constructor(kind: SyncErrorKind, message: string) {
    super(message);
    this.name = 'SyncError';
    this.kind = kind;
  }
}

export const asSyncError = (e: unknown): SyncError =>
  e instanceof SyncError ? e : new SyncError('server', e instanceof Error ? e.message : String(e));
