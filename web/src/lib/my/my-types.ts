// The shape of GET /api/my/account (server/src/self-service/self-service.read.ts): money and
// octets as decimal strings, times as ISO strings.
export interface Overview {
  tenant: { name: string; currency: string; locale: string; timezone: string };
  account: {
    username: string;
    fullName: string | null;
    phone: string | null;
    status: 'active' | 'suspended' | 'terminated' | 'disabled';
    statusReason: string | null;
    service: string;
    expiresAt: string | null;
    plan: { id: string; name: string; priceMinor: string; downloadBps: number };
    period: { start: string; end: string } | null;
  };
  balanceMinor: string;
  usage: {
    since: string;
    downloadOctets: string;
    uploadOctets: string;
    days: { day: string; downloadOctets: string; uploadOctets: string }[];
  };
  live: { startedAt: string; framedIp: string | null; downloadOctets: string; uploadOctets: string } | null;
  invoices: {
    id: string;
    kind: 'invoice' | 'credit_note';
    status: string;
    number: string | null;
    totalMinor: string;
    dueMinor: string;
    issuedAt: string | null;
    dueAt: string | null;
    payable: boolean;
  }[];
  plans: { id: string; name: string; priceMinor: string; downloadBps: number }[];
  /** Voucher plans on sale: a top-up or a code for another device, bought through a pay link. */
  onSale: {
    id: string;
    name: string;
    priceMinor: string;
    currency: string;
    validitySeconds: number | null;
  }[];
  /** Codes bought on /my or from an agent to this number, with what RADIUS makes of each now. */
  codes: { code: string; soldAt: string; plan: string; state: CodeState; expiresAt: string | null }[];
}

export type CodeState = 'unused' | 'active' | 'exhausted' | 'expired' | 'void' | 'locked';
