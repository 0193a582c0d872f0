// Go's standard base64 decoding, as kube-apiserver's JSON decoder applies it to []byte fields
// (Secret data, ConfigMap binaryData, caBundle): its error offsets are part of the error text.

/**
 * Go's base64.StdEncoding.Decode, as encoding/json applies it to []byte fields: `\r` and `\n` are
 * skipped, anything else outside the alphabet, missing or misplaced padding fails at its offset.
 * Returns the offset of the first bad byte, or undefined when the value decodes.
 */
export function goBase64ErrorOffset(text: string): number | undefined {
  const src = Buffer.from(text, 'utf8');
  const isAlphabet = (c: number) =>
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f;
  const isNewline = (c: number) => c === 0x0a || c === 0x0d;
  let si = 0;
  for (;;) {
    // decodeQuantum: up to four symbols.
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = src[si++];
      if (isAlphabet(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return si - 1;
      // Padding: only in the third or fourth place, and nothing but newlines after it.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 0x3d) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : undefined;
    }
  }
}
