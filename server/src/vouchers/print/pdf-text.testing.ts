// Reads back what a test needs from a PDF without a PDF library: page count and the text
// shown by each text operator, inflating compressed content streams as production sends them.
import { inflateSync } from 'node:zlib';

export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page(?!s)\b/g)?.length ?? 0;
}

/**
 * Every stream's bytes, cut by the dictionary's /Length: a compressed stream may itself hold
 * the bytes "\nendstream", so searching for the end marker cut some pages short (a flaky
 * test that missed a code now and then).
 */
export function contentStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const raw = pdf.subarray(start, start + Number(m[1]));
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
  }
  return out;
}

/** Each TJ array's hex strings joined: pdfkit splits a string wherever it kerns. */
export function pdfTextRuns(pdf: Buffer): string[] {
  return contentStreams(pdf).flatMap(streamTextRuns);
}

/** The text runs of one content stream (or part of one), in order. */
export function streamTextRuns(stream: string): string[] {
  const runs: string[] = [];
  for (const tj of stream.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...(tj[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
    runs.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return runs;
}
