// A plausible input for every tRPC procedure, built from a set of ids. The role test passes
// made-up ids (a permitted role then meets NOT_FOUND, never FORBIDDEN); the cross-tenant test
// passes another tenant's real ids (nothing of theirs may come back or change).
// A new procedure needs one line here and one in @kasi/domain procedure-access.ts.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { BillingIds } from '../testing/tenant-world-billing.ts';

export interface WorldIds extends BillingIds {
  ownerEmail: string;
  ownerUserId: string;
  /** A signed-in session of the owner (auth_sessions.id). */
  ownerSessionId: string;
  /** A passkey of the owner (user_passkeys.id). */
  ownerPasskeyId: string;
  planId: string;
  batchId: string;
  voucherId: string;
  /** A code leased to `deviceId`, canonical form. */
  voucherCode: string;
  nasId: string;
  nasAddress: string;
  routerId: string;
  changePlanId: string;
  agentId: string;
  deviceId: string;
  devicePublicKey: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  leaseId: string;
  subscriberId: string;
  subscriberUsername: string;
  conflictId: string;
  radiusSessionId: bigint;
}

export type InputFor = (w: WorldIds) => unknown;

const none: InputFor = () => undefined;
const unique = () => randomBytes(4).toString('hex');
const testNetAddress = () => `198.51.100.${1 + ((randomBytes(1)[0] ?? 0) % 250)}`;
// Format-valid only; a signature that verifies is not needed to reach the device check.
const fakeSignature = `${'A'.repeat(86)}==`;

// WebAuthn responses of the right shape that verify against nothing.
const fakeCredentialId = () => randomBytes(16).toString('base64url');
const fakeAttestation = () => {
  const id = fakeCredentialId();
  return {
    id,
    rawId: id,
    type: 'public-key' as const,
    clientExtensionResults: {},
    response: { clientDataJSON: 'e30', attestationObject: 'oA', transports: ['usb'] },
  };
};
const fakeAssertion = () => {
  const id = fakeCredentialId();
  return {
    id,
    rawId: id,
    type: 'public-key' as const,
    clientExtensionResults: {},
    response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
  };
};

export const PROCEDURE_INPUTS: Readonly<Record<string, InputFor>> = {
  'auth.login': (w) => ({ email: w.ownerEmail, password: 'not the password' }),
  'auth.logout': none,
  'auth.me': none,
  'auth.secondStep': () => ({ code: '123456' }),
  'auth.secondFactorOptions': none,
  'auth.passkeyStep': () => ({ response: fakeAssertion() }),
  'auth.resetPassword': () => ({
    token: randomBytes(32).toString('base64url'),
    newPassword: 'a new password 1',
  }),

  'account.security': none,
  'account.startTwoFactor': none,
  'account.confirmTwoFactor': () => ({ code: '000000' }),
  'account.disableTwoFactor': () => ({ password: 'not the password', code: '000000' }),
  'account.sessions': none,
  'account.revokeSession': (w) => ({ id: w.ownerSessionId }),
  'account.revokeOtherSessions': none,
  'account.changePassword': () => ({ currentPassword: 'not the password', newPassword: 'a new password 1' }),
  'account.setLocale': () => ({ locale: 'sw' }),
  'account.passkeys': none,
  'account.passkeyOptions': none,
  'account.addPasskey': () => ({ name: 'Stolen key', response: fakeAttestation() }),
  'account.removePasskey': (w) => ({ id: w.ownerPasskeyId, password: 'not the password' }),

  'member.list': none,
  'member.sessions': (w) => ({ userId: w.ownerUserId }),
  'member.revokeSessions': (w) => ({ userId: w.ownerUserId }),
  'member.resetPassword': (w) => ({ userId: w.ownerUserId }),
  'member.removeTwoFactor': (w) => ({ userId: w.ownerUserId }),
  'member.requireTwoFactor': () => ({ required: false }),

  'plan.list': none,
  'plan.get': (w) => ({ id: w.planId }),
  'plan.create': () => ({
    name: `plan-${unique()}`,
    downloadBps: 2_000_000,
    uploadBps: 1_000_000,
    priceMinor: 100n,
    currency: 'KES',
  }),
  'plan.update': (w) => ({ id: w.planId, patch: { name: `renamed-${unique()}` } }),
  'plan.archive': (w) => ({ id: w.planId }),
  'plan.versions': (w) => ({ id: w.planId }),

  'voucher.batches': none,
  'voucher.codes': (w) => ({ batchId: w.batchId }),
  'voucher.createBatch': (w) => ({ planId: w.planId, quantity: 1 }),
  'voucher.void': (w) => ({ ids: [w.voucherId] }),
  'voucher.lock': (w) => ({ ids: [w.voucherId] }),
  'voucher.unlock': (w) => ({ ids: [w.voucherId] }),
  'voucher.extendBatch': (w) => ({ batchId: w.batchId, days: 1 }),
  'voucher.replanBatch': (w) => ({ batchId: w.batchId, planId: w.planId }),
  'voucher.figures': () => ({ by: 'plan' }),
  'voucher.printRun': (w) => ({ batchId: w.batchId, layout: 'a4', count: 1 }),
  'voucher.printRuns': (w) => ({ batchId: w.batchId }),
  'voucher.holdForTest': (w) => ({ batchId: w.batchId }),
  'voucher.byCode': (w) => ({ code: w.voucherCode }),
  'voucher.extendCode': (w) => ({ id: w.voucherId, hours: 1 }),

  'nas.list': none,
  // The other tenant's address: the answer may refuse it but must not describe their NAS.
  'nas.create': (w) => ({ name: `nas-${unique()}`, address: w.nasAddress, secret: 'shared-secret-1' }),
  'nas.delete': (w) => ({ id: w.nasId }),

  'subscriber.list': (w) => ({ search: w.subscriberUsername }),
  'subscriber.get': (w) => ({ id: w.subscriberId }),
  'subscriber.create': (w) => ({ username: w.subscriberUsername, password: 'secret-pw', planId: w.planId }),
  'subscriber.update': (w) => ({ id: w.subscriberId, planId: w.planId, notes: 'moved' }),
  'subscriber.resetPassword': (w) => ({ id: w.subscriberId }),
  'subscriber.suspend': (w) => ({ id: w.subscriberId, reason: 'unpaid invoice' }),
  'subscriber.resume': (w) => ({ id: w.subscriberId }),
  'subscriber.terminate': (w) => ({ id: w.subscriberId, reason: 'moved away' }),
  'subscriber.sessions': (w) => ({ id: w.subscriberId }),
  'subscriber.usage': (w) => ({ id: w.subscriberId }),
  'subscriber.timeline': (w) => ({ id: w.subscriberId }),
  'subscriber.importPreview': (w) => ({ csv: `username,plan\n${w.subscriberUsername},${w.planId}\n` }),
  'subscriber.importCheck': (w) => ({
    csv: `username,plan\n${w.subscriberUsername},${w.planId}\n`,
    mapping: ['username', 'plan'],
  }),
  'subscriber.importCommit': (w) => ({
    csv: `username,plan\n${w.subscriberUsername},${w.planId}\n`,
    mapping: ['username', 'plan'],
  }),
  'subscriber.exportCsv': () => ({}),
  'subscriber.export': (w) => ({ id: w.subscriberId }),
  'subscriber.erase': (w) => ({ id: w.subscriberId }),

  'session.open': none,
  'session.kick': (w) => ({ id: w.radiusSessionId }),
  'session.online': () => ({}),

  'router.list': none,
  'router.create': () => ({
    name: `router-${unique()}`,
    host: '192.0.2.10',
    username: 'kasi',
    password: 'router-pass',
  }),
  'router.update': (w) => ({ id: w.routerId, patch: { name: `renamed-${unique()}` } }),
  'router.delete': (w) => ({ id: w.routerId }),
  'router.test': (w) => ({ id: w.routerId }),
  'router.proposeWiring': (w) => ({ routerId: w.routerId, radiusAddress: '192.0.2.53' }),
  'router.hotspotPreview': (w) => ({ routerId: w.routerId }),
  'router.proposeHotspotInstall': (w) => ({ routerId: w.routerId, kasiUrl: 'https://kasi.example' }),
  'router.plans': (w) => ({ id: w.routerId }),
  'router.decide': (w) => ({ id: w.changePlanId, decision: 'approve' }),
  'router.applyPlan': (w) => ({ id: w.changePlanId }),
  'router.rollback': (w) => ({ id: w.changePlanId }),
  'router.sessions': (w) => ({ id: w.routerId }),
  'router.kick': (w) => ({ routerId: w.routerId, sessionId: '*1', kind: 'hotspot' }),

  'audit.list': () => ({}),
  'audit.verify': none,

  'agent.list': none,
  'agent.create': () => ({ email: `agent-${unique()}@x.test`, name: 'Agent', password: 'agent password 1' }),
  'agent.update': (w) => ({ id: w.agentId, patch: { status: 'suspended' } }),
  'agent.me': none,
  'agent.devices': (w) => ({ agentId: w.agentId }),
  'agent.registerDevice': (w) => ({ label: 'phone', publicKey: w.devicePublicKey }),
  'agent.approveDevice': (w) => ({ deviceId: w.deviceId }),
  'agent.revokeDevice': (w) => ({ deviceId: w.deviceId }),
  'agent.markDeviceLost': (w) => ({ deviceId: w.deviceId }),
  'agent.leases': (w) => ({ deviceId: w.deviceId }),
  'agent.lease': (w) => ({ deviceId: w.deviceId, planId: w.planId, count: 1 }),
  'agent.requestLease': (w) => ({ deviceId: w.deviceId, planId: w.planId, count: 1 }),
  'agent.revokeLease': (w) => ({ leaseId: w.leaseId }),

  'sync.push': (w) => ({
    deviceId: w.deviceId,
    ops: [
      {
        saleId: randomUUID(),
        seq: 99,
        kind: 'sale',
        code: w.voucherCode,
        amountMinor: 100n,
        currency: 'KES',
        soldAt: new Date().toISOString(),
        signature: fakeSignature,
      },
    ],
  }),
  'sync.pull': (w) => ({ deviceId: w.deviceId }),
  'sync.conflicts': () => ({ state: 'all' }),
  'sync.resolveConflict': (w) => ({ id: w.conflictId, note: 'settled', chargeMinor: 100n }),

  'cash.handover': (w) => ({ agentId: w.agentId, amountMinor: 100n, currency: 'KES' }),
  'cash.adjust': (w) => ({ agentId: w.agentId, amountMinor: 100n, currency: 'KES', note: 'shortfall' }),
  'cash.outstanding': none,
  'cash.sales': (w) => ({ from: new Date(0), to: new Date(), agentId: w.agentId }),
  'cash.salesByDays': (w) => ({ agentId: w.agentId }),
  'cash.shifts': (w) => ({ agentId: w.agentId }),
  'cash.today': none,

  'dashboard.summary': none,
  'settings.tenant': none,
  'settings.update': () => ({ accountingRetentionMonths: 12 }),
  'settings.radius': none,
  'settings.gettingStarted': none,
  'settings.invite': () => ({ email: `new-${unique()}@x.test`, name: 'New person', role: 'viewer' }),
  'settings.setRole': (w) => ({ userId: w.ownerUserId, role: 'viewer' }),
  'settings.setActive': (w) => ({ userId: w.ownerUserId, active: true }),
  'search.find': (w) => ({ q: w.voucherCode.slice(0, 4) }),
  'report.sales': () => ({}),
  'billing.settings': none,
  'billing.updateSettings': () => ({ graceDays: 5, invoicePrefix: 'X-' }),
  'billing.account': (w) => ({ subscriberId: w.subscriberId }),
  'billing.previewPlanChange': (w) => ({ subscriberId: w.subscriberId, planId: w.planId, when: 'now' }),
  'billing.changePlan': (w) => ({ subscriberId: w.subscriberId, planId: w.planId, when: 'now' }),
  'billing.writeOff': (w) => ({ invoiceId: w.invoiceId, reason: 'gone' }),
  'billing.decideWriteOff': (w) => ({ id: w.writeOffId, decision: 'approve' }),
  'billing.dunningPolicy': none,
  'billing.updateDunningPolicy': () => ({ graceDays: 5 }),
  'billing.promiseToPay': (w) => ({ subscriberId: w.subscriberId, days: 3 }),
  'billing.setNeverSuspend': (w) => ({ subscriberId: w.subscriberId, neverSuspend: true }),

  'invoice.list': (w) => ({ subscriberId: w.subscriberId }),
  'invoice.get': (w) => ({ id: w.invoiceId }),
  'invoice.createDraft': (w) => ({
    subscriberId: w.subscriberId,
    lines: [{ kind: 'other', description: 'x', unitPriceMinor: 100n }],
  }),
  'invoice.finalise': (w) => ({ id: w.draftInvoiceId }),
  'invoice.creditNote': (w) => ({ invoiceId: w.invoiceId, reason: 'x' }),
  'invoice.void': (w) => ({ id: w.invoiceId, reason: 'x' }),
  'invoice.decideCreditNote': (w) => ({ id: w.creditNoteId, decision: 'approve' }),

  'payment.record': (w) => ({
    subscriberId: w.subscriberId,
    amountMinor: 100n,
    currency: 'KES',
    method: 'cash',
  }),
  'payment.list': (w) => ({ subscriberId: w.subscriberId }),
  'payment.get': (w) => ({ id: w.paymentId }),

  'gateway.list': none,
  'gateway.set': () => ({
    gateway: 'stripe',
    config: { secretKey: `sk_test_${unique()}`, webhookSecret: `whsec_${unique()}` },
  }),
  'gateway.setEnabled': () => ({ gateway: 'mpesa', enabled: true }),
  'gateway.test': () => ({ gateway: 'mpesa' }),
  'gateway.attempts': (w) => ({ subscriberId: w.subscriberId }),
  'gateway.planPurchases': () => ({ status: 'paid' }),
  'gateway.planPurchase': () => ({ voucherId: randomUUID() }),
  'gateway.createPayLink': (w) => ({ subscriberId: w.subscriberId, invoiceId: w.invoiceId }),
  'gateway.suspense': none,
  'gateway.matchSuspense': (w) => ({ eventId: randomUUID(), subscriberId: w.subscriberId }),
  'gateway.refund': (w) => ({ paymentId: w.paymentId, amountMinor: 100n, reason: 'x' }),
  'gateway.refundPlan': () => ({ attemptId: randomUUID(), reason: 'x', reference: 'RKT3ABCD12' }),
  'gateway.decideRefund': () => ({ id: randomUUID(), decision: 'approve' }),
  'gateway.refunds': (w) => ({ paymentId: w.paymentId }),
  'gateway.sendPayLink': (w) => ({ subscriberId: w.subscriberId, invoiceId: w.invoiceId }),
  'gateway.payments': (w) => ({ subscriberId: w.subscriberId }),
  'gateway.payment': (w) => ({ id: w.paymentId }),
  'gateway.matchCandidates': () => ({ q: 'sub' }),
  'reconcile.day': () => ({ day: '2026-01-15' }),
  'reconcile.run': () => ({ day: '2026-01-15', gateway: 'mpesa' }), // not set up: no call leaves Kasi
  'reconcile.checkMpesaReceipt': () => ({ receipt: 'RKT0000001' }),

  'sms.settings': none,
  'sms.setSettings': () => ({
    provider: 'africastalking',
    environment: 'sandbox',
    username: 'sandbox',
    apiKey: 'atsk_0123456789abcdef0123456789abcdef',
    countryCode: '254',
    senderId: null,
    defaultLanguage: 'en',
    bulkApprovalThreshold: 100,
  }),
  'sms.setEnabled': () => ({ enabled: true }),
  // A number no calling code completes: refused before any provider is called.
  'sms.sendTest': () => ({ to: '12' }),
  'sms.refusals': none,
  'sms.templates': none,
  'sms.saveTemplate': () => ({ event: 'reminder', language: 'en', body: '{tenant}: please pay {pay_link}' }),
  'sms.resetTemplate': () => ({ event: 'reminder', language: 'en' }),
  'sms.outbox': () => ({}),
  'sms.retry': () => ({ id: randomUUID() }),
  'sms.optOuts': none,
  'sms.setOptOut': () => ({ phone: '+254700000998', optedOut: true }),
  'sms.bulkPreview': (w) => ({ filter: { planId: w.planId } }),
  'sms.bulkCreate': (w) => ({ filter: { planId: w.planId }, message: 'Maintenance tonight' }),
  'sms.bulkDecide': () => ({ id: randomUUID(), decision: 'reject' }),
  'sms.bulks': none,
  'sms.status': none,
};

/** Procedures that end the caller's own session: they get a session of their own. */
export const SESSION_ENDING: ReadonlySet<string> = new Set(['auth.logout']);

function newDevicePublicKey(): WorldIds['devicePublicKey'] {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' };
}

/** Ids that exist nowhere, for the role test. */
export function madeUpIds(): WorldIds {
  return {
    ownerEmail: `nobody-${unique()}@nowhere.test`,
    ownerUserId: randomUUID(),
    ownerSessionId: randomUUID(),
    ownerPasskeyId: randomUUID(),
    planId: randomUUID(),
    batchId: randomUUID(),
    voucherId: randomUUID(),
    voucherCode: 'ABCDEFGH',
    nasId: randomUUID(),
    nasAddress: testNetAddress(),
    routerId: randomUUID(),
    changePlanId: randomUUID(),
    agentId: randomUUID(),
    deviceId: randomUUID(),
    devicePublicKey: newDevicePublicKey(),
    leaseId: randomUUID(),
    subscriberId: randomUUID(),
    subscriberUsername: `sub-${unique()}`,
    conflictId: randomUUID(),
    radiusSessionId: 9_000_000_000n,
    payLinkUrl: 'http://kasi.test/p/nothing',
    invoiceId: randomUUID(),
    draftInvoiceId: randomUUID(),
    paymentId: randomUUID(),
    creditNoteId: randomUUID(),
    writeOffId: randomUUID(),
  };
}
