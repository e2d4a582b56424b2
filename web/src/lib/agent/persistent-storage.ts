// Asks the browser to keep this app's database (unsold codes, unsent sales) instead of
// clearing it under storage pressure. Asked at enrolment and again on the first sync of each
// start (a browser may grant later what it refused at first, e.g. once the app is installed);
// the Sync screen reads the same answer and says when the browser refused.
let asking: Promise<boolean | null> | undefined;

/** Asks once per start: true kept, false refused, null when the browser cannot say. */
export function askPersistentStorage(): Promise<boolean | null> {
  asking ??= (async () => {
    const manager = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (!manager?.persisted || !manager.persist) return null;
    return (await manager.persisted()) || (await manager.persist());
  })().catch(() => null);
  return asking;
}
