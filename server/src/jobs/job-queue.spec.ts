import { describe, expect, it } from 'vitest';
import { dedupeJobId } from './job-queue.ts';

describe('dedupe job ids', () => {
  it('gives one key of one kind always the same UUID, and other keys or kinds another', () => {
    const id = dedupeJobId('sms.sale_receipt', '0190a3c4-0000-7000-8000-000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(dedupeJobId('sms.sale_receipt', '0190a3c4-0000-7000-8000-000000000001')).toBe(id);
    expect(dedupeJobId('sms.sale_receipt', '0190a3c4-0000-7000-8000-000000000002')).not.toBe(id);
    expect(dedupeJobId('billing.run', '0190a3c4-0000-7000-8000-000000000001')).not.toBe(id);
    // The separator keeps "a" + "b:c" apart from "a:b" + "c".
    expect(dedupeJobId('a', 'b:c')).not.toBe(dedupeJobId('a:b', 'c'));
  });
});
