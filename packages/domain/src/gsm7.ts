// SMS text in the GSM 7-bit alphabet: one curly quote or emoji would switch the whole
// message to UCS-2 and cut a segment from 160 characters to 70, doubling its price.

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters sent as escape + one septet: they count twice. */
const EXTENDED = '^{}\\[~]|€';
const GSM = new Set([...BASIC, ...EXTENDED]);

const LOOKALIKES: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '×': 'x',
  '\u00a0': ' ',
  '\t': ' ',
};

/** The text with look-alikes replaced and accents dropped; anything else becomes '?'. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (GSM.has(ch)) out += ch;
    else if (LOOKALIKES[ch] !== undefined) out += LOOKALIKES[ch];
    else {
      const plain = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += [...plain].every((c) => GSM.has(c)) && plain !== '' ? plain : '?';
    }
  }
  return out;
}

/** How many SMS segments a GSM-7 text takes (160 septets alone, 153 per part when split). */
export function gsm7Segments(text: string): number {
  let septets = 0;
  for (const ch of text) septets += EXTENDED.includes(ch) ? 2 : 1;
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

export interface SmsTextInfo {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Characters counted (septets for GSM-7, UTF-16 units for UCS-2). */
  units: number;
  /** The characters that are not in the GSM-7 alphabet and so force UCS-2, each once. */
  ucs2Chars: string[];
}

/**
 * How a text goes out as it is: GSM-7 when every character is in the alphabet (160 alone,
 * 153 per part), otherwise UCS-2 (70 alone, 67 per part), naming the characters to blame.
 */
export function smsTextInfo(text: string): SmsTextInfo {
  const ucs2 = [...new Set([...text].filter((ch) => !GSM.has(ch)))];
  if (ucs2.length === 0) {
    let septets = 0;
    for (const ch of text) septets += EXTENDED.includes(ch) ? 2 : 1;
    return { encoding: 'GSM-7', segments: gsm7Segments(text), units: septets, ucs2Chars: [] };
  }
  const units = text.length;
  return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67), units, ucs2Chars: ucs2 };
}
