// Who may call each API procedure, in one place. The services still authorise on their
// first line; this table is what a generated test (server/src/trpc/procedure-access.int.spec.ts)
// compares every procedure and every role against, and what the tRPC guard enforces before a
// service runs. A procedure without an entry fails that test, so each new one needs a decision.
import { can, type Permission, type Role } from './roles.ts';

/**
 * `public`: callable without a session (signing in).
 * `self`: any signed-in user; it reads or changes only the caller's own account or session.
 * A permission: only roles that hold it (`can(role, permission)`).
 */
export type ProcedureAccess = 'public' | 'self' | Permission;
export type ProcedureKind = 'query' | 'mutation';

export interface ProcedureRule {
  kind: ProcedureKind;
  access: ProcedureAccess;
}

const query = (access: ProcedureAccess): ProcedureRule => ({ kind: 'query', access });
const mutation = (access: ProcedureAccess): ProcedureRule => ({ kind: 'mutation', access });

/** Every tRPC procedure path with its decision. Add one line per new procedure. */
export const PROCEDURE_ACCESS: Readonly<Record<string, ProcedureRule>> = {
  'auth.login': mutation('public'),
  'auth.logout': mutation('self'),
  'auth.me': query('self'),
  // The second sign-in step and a reset link carry their own secret (challenge cookie, link token).
  'auth.secondStep': mutation('public'),
  'auth.secondFactorOptions': mutation('public'),
  'auth.passkeyStep': mutation('public'),
  'auth.resetPassword': mutation('public'),

  'account.security': query('self'),
  'account.startTwoFactor': mutation('self'),
  'account.confirmTwoFactor': mutation('self'),
  'account.disableTwoFactor': mutation('self'),
  'account.sessions': query('self'),
  'account.revokeSession': mutation('self'),
  'account.revokeOtherSessions': mutation('self'),
  'account.changePassword': mutation('self'),
  'account.setLocale': mutation('self'),
  'account.passkeys': query('self'),
  'account.passkeyOptions': mutation('self'),
  'account.addPasskey': mutation('self'),
  'account.removePasskey': mutation('self'),

  'member.list': query('user.manage'),
  'member.sessions': query('user.manage'),
  'member.revokeSessions': mutation('user.manage'),
  // A reset link is a way into someone's account: owners and admins only, audited.
  'member.resetPassword': mutation('user.manage'),
  'member.removeTwoFactor': mutation('user.manage'),
  'member.requireTwoFactor': mutation('tenant.manage'),

  'plan.list': query('plan.read'),
  'plan.get': query('plan.read'),
  'plan.create': mutation('plan.write'),
  'plan.update': mutation('plan.write'),
  'plan.archive': mutation('plan.write'),
  'plan.versions': query('plan.read'),

  // Tenant-wide code lists: agents get their own stock through sync.pull, never these.
  'voucher.batches': query('voucher.read'),
  'voucher.codes': query('voucher.read'),
  'voucher.createBatch': mutation('voucher.write'),
  'voucher.void': mutation('voucher.write'),
  'voucher.lock': mutation('voucher.write'),
  'voucher.unlock': mutation('voucher.write'),
  'voucher.extendBatch': mutation('voucher.write'),
  'voucher.replanBatch': mutation('voucher.write'),
  'voucher.figures': query('voucher.read'),
  // Taking codes onto paper or out for a test hands out working credentials.
  'voucher.printRun': mutation('voucher.write'),
  'voucher.printRuns': query('voucher.read'),
  'voucher.holdForTest': mutation('voucher.write'),
  'voucher.byCode': query('voucher.read'),
  'voucher.extendCode': mutation('voucher.write'),

  'nas.list': query('nas.read'),
  'nas.create': mutation('nas.write'),
  'nas.delete': mutation('nas.write'),

  'subscriber.list': query('subscriber.read'),
  'subscriber.get': query('subscriber.read'),
  'subscriber.create': mutation('subscriber.write'),
  'subscriber.update': mutation('subscriber.write'),
  'subscriber.resetPassword': mutation('subscriber.write'),
  'subscriber.suspend': mutation('subscriber.write'),
  'subscriber.resume': mutation('subscriber.write'),
  'subscriber.terminate': mutation('subscriber.write'),
  'subscriber.sessions': query('session.read'),
  'subscriber.usage': query('subscriber.read'),
  'subscriber.timeline': query('subscriber.read'),
  // The import steps write nothing before the commit, but only someone who may commit needs them.
  'subscriber.importPreview': mutation('subscriber.write'),
  'subscriber.importCheck': mutation('subscriber.write'),
  'subscriber.importCommit': mutation('subscriber.write'),
  // Personal data of many people at once: a write-level act, audited.
  'subscriber.exportCsv': mutation('subscriber.write'),
  // An export carries a person's data out of the system: a write-level act, audited.
  'subscriber.export': mutation('subscriber.write'),
  'subscriber.erase': mutation('subscriber.write'),

  'session.open': query('session.read'),
  'session.kick': mutation('session.kick'),
  'session.online': query('session.read'),

  'router.list': query('router.read'),
  'router.create': mutation('router.write'),
  'router.update': mutation('router.write'),
  'router.delete': mutation('router.write'),
  // Opens a connection from the server and records health: not for read-only roles.
  'router.test': mutation('router.write'),
  'router.proposeWiring': mutation('router.write'),
  'router.hotspotPreview': query('router.read'),
  'router.proposeHotspotInstall': mutation('router.write'),
  'router.plans': query('router.read'),
  'router.decide': mutation('change.approve'),
  'router.applyPlan': mutation('router.write'),
  'router.rollback': mutation('router.write'),
  'router.sessions': query('session.read'),
  'router.kick': mutation('session.kick'),

  'audit.list': query('audit.read'),
  'audit.verify': query('audit.read'),

  'agent.list': query('agent.manage'),
  'agent.create': mutation('agent.manage'),
  'agent.update': mutation('agent.manage'),
  'agent.me': query('sale.sync'),
  'agent.devices': query('agent.manage'),
  'agent.registerDevice': mutation('sale.sync'),
  'agent.approveDevice': mutation('agent.manage'),
  'agent.revokeDevice': mutation('agent.manage'),
  'agent.markDeviceLost': mutation('agent.manage'),
  'agent.leases': query('agent.manage'),
  'agent.lease': mutation('agent.manage'),
  'agent.requestLease': mutation('sale.sync'),
  'agent.revokeLease': mutation('agent.manage'),

  'sync.push': mutation('sale.sync'),
  'sync.pull': query('sale.sync'),
  'sync.conflicts': query('cash.read'),
  'sync.resolveConflict': mutation('cash.write'),

  'cash.handover': mutation('cash.write'),
  'cash.adjust': mutation('cash.write'),
  'cash.outstanding': query('cash.read'),
  'cash.sales': query('cash.read'),
  'cash.salesByDays': query('cash.read'),
  'cash.shifts': query('cash.read'),
  'cash.today': query('sale.sync'),

  'billing.settings': query('billing.read'),
  'billing.updateSettings': mutation('billing.write'),
  'billing.account': query('billing.read'),
  'billing.previewPlanChange': query('billing.read'),
  // Moves the subscriber (RADIUS attributes change) and may invoice: both writes.
  'billing.changePlan': mutation('billing.write'),
  'billing.writeOff': mutation('billing.write'),
  // The second person of the two-person rule, as for router change plans.
  'billing.decideWriteOff': mutation('change.approve'),
  'billing.dunningPolicy': query('billing.read'),
  'billing.updateDunningPolicy': mutation('billing.write'),
  'billing.promiseToPay': mutation('billing.write'),
  'billing.setNeverSuspend': mutation('billing.write'),

  'invoice.list': query('billing.read'),
  'invoice.get': query('billing.read'),
  'invoice.createDraft': mutation('billing.write'),
  'invoice.finalise': mutation('billing.write'),
  'invoice.creditNote': mutation('billing.write'),
  'invoice.void': mutation('billing.write'),
  'invoice.decideCreditNote': mutation('change.approve'),

  'payment.record': mutation('billing.write'),
  'payment.list': query('billing.read'),
  'payment.get': query('billing.read'),

  // Online payments (issue 13): credentials are the tenant's, so managers set them.
  'gateway.list': query('billing.read'),
  'gateway.set': mutation('tenant.manage'),
  'gateway.setEnabled': mutation('tenant.manage'),
  'gateway.test': mutation('tenant.manage'),
  'gateway.attempts': query('billing.read'),
  'gateway.planPurchases': query('billing.read'),
  'gateway.planPurchase': query('billing.read'),
  'gateway.createPayLink': mutation('billing.write'),
  'gateway.suspense': query('billing.read'),
  'gateway.matchSuspense': mutation('billing.write'),
  'gateway.refund': mutation('billing.write'),
  'gateway.refundPlan': mutation('billing.write'),
  'gateway.decideRefund': mutation('change.approve'),
  'gateway.refunds': query('billing.read'),
  'gateway.sendPayLink': mutation('billing.write'),
  'gateway.payments': query('billing.read'),
  'gateway.payment': query('billing.read'),
  'gateway.matchCandidates': query('billing.read'),
  'reconcile.day': query('billing.read'),
  'reconcile.run': mutation('billing.write'),
  'reconcile.checkMpesaReceipt': mutation('billing.write'),

  'dashboard.summary': query('dashboard.read'),
  // Console settings (issue 15): everyone but agents reads; owners change the tenant, owners and
  // admins its people (admins never owners); router readers see where RADIUS listens.
  'settings.tenant': query('dashboard.read'),
  'settings.update': mutation('tenant.manage'),
  'settings.radius': query('router.read'),
  'settings.gettingStarted': query('dashboard.read'),
  'settings.invite': mutation('user.manage'),
  'settings.setRole': mutation('user.manage'),
  'settings.setActive': mutation('user.manage'),

  // Find anything and reports (issue 15): tenant-wide reads, never for agents.
  'search.find': query('voucher.read'),
  'report.sales': query('cash.read'),

  // SMS (issue 14): managers hold the provider credentials and wording; operators see the
  // outbox, opt numbers out and send bulk messages, which a second person approves above N.
  'sms.settings': query('subscriber.read'),
  'sms.setSettings': mutation('tenant.manage'),
  'sms.setEnabled': mutation('tenant.manage'),
  'sms.sendTest': mutation('tenant.manage'),
  'sms.refusals': query('tenant.manage'),
  'sms.templates': query('subscriber.read'),
  'sms.saveTemplate': mutation('tenant.manage'),
  'sms.resetTemplate': mutation('tenant.manage'),
  'sms.outbox': query('subscriber.read'),
  'sms.retry': mutation('subscriber.write'),
  'sms.optOuts': query('subscriber.read'),
  'sms.setOptOut': mutation('subscriber.write'),
  'sms.bulkPreview': query('subscriber.read'),
  'sms.bulkCreate': mutation('subscriber.write'),
  'sms.bulkDecide': mutation('change.approve'),
  'sms.bulks': query('subscriber.read'),
  'sms.status': query('dashboard.read'),
};

export function procedureRule(path: string): ProcedureRule | undefined {
  return Object.hasOwn(PROCEDURE_ACCESS, path) ? PROCEDURE_ACCESS[path] : undefined;
}

/** May a signed-in user with this role call the procedure? Unknown procedures: no. */
export function mayCall(role: Role, path: string): boolean {
  const rule = procedureRule(path);
  if (!rule) return false;
  if (rule.access === 'public' || rule.access === 'self') return true;
  return can(role, rule.access);
}

/**
 * Viewers read and never change: a mutation must need a permission viewers do not hold
 * (`self` mutations touch only the caller's own session or account). Returns the offenders.
 */
export function mutationsOpenToViewers(
  table: Readonly<Record<string, ProcedureRule>> = PROCEDURE_ACCESS,
): string[] {
  return Object.entries(table)
    .filter(([, r]) => r.kind === 'mutation' && r.access !== 'public' && r.access !== 'self')
    .filter(([, r]) => can('viewer', r.access as Permission))
    .map(([path]) => path);
}
