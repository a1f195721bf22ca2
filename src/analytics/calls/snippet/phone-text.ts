// Finding a phone number in page text and writing another in its place, keeping the format the
// site used ("+7 (495) 123-45-67", "8 495 123 45 67", "84951234567"). Shared by the snippet and
// its tests, so it imports nothing.

/** The ten national digits of a Russian number (or all digits of another), or null. */
export function nationalDigits(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return digits.slice(1);
  if (digits.length === 10) return digits;
  return null;
}

// A run that may be a phone number: an optional + or (, then digits, spaces, dashes, dots,
// brackets and no-break spaces, ending in a digit.
const CANDIDATE = /[+(]?\d[\d\s().\u00a0\u2011\u2012\u2013-]{8,22}\d/g;

/**
 * Replaces every occurrence of one of `targets` (national digits) in `text` with `replacement`
 * (national digits), digit for digit, so spaces, brackets, dashes and the prefix stay as they
 * were. Returns null when nothing matched.
 */
export function replacePhonesInText(
  text: string,
  targets: ReadonlySet<string>,
  replacement: string,
): string | null {
  let changed = false;
  const result = text.replace(CANDIDATE, (run) => {
    const national = nationalDigits(run);
    if (!national || !targets.has(national) || national === replacement) return run;
    changed = true;
    const total = run.replace(/\D/g, '').length;
    // The prefix digit (7 or 8) stays; the last ten digits become the new number's.
    let index = 0;
    let written = 0;
    let out = '';
    for (const char of run) {
      if (/\d/.test(char)) {
        if (index >= total - 10) {
          out += replacement[written] ?? char;
          written += 1;
        } else {
          out += char;
        }
        index += 1;
      } else {
        out += char;
      }
    }
    return out;
  });
  return changed ? result : null;
}

/** A `tel:` address of one of the targets, rewritten to the new number; null otherwise. */
export function replaceTelHref(
  href: string,
  targets: ReadonlySet<string>,
  replacementE164: string,
): string | null {
  if (!/^tel:/i.test(href)) return null;
  const national = nationalDigits(decodeURIComponent(href.slice(4)));
  if (!national || !targets.has(national)) return null;
  return `tel:${replacementE164}`;
}

/** "+74951234567" → "+7 (495) 123-45-67", for elements picked by selector. */
export function formatRussian(e164: string): string {
  const national = nationalDigits(e164);
  if (!national || !e164.startsWith('+7')) return e164;
  return `+7 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
}
