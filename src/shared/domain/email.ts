/**
 * The one email validator: every cell, paste and import goes through `checkEmail`.
 *
 * Policy (Clerk documents no rules of its own beyond "a valid email address"; these are RFC 5321/5322/6531's):
 * - Trimmed, then NFC-normalised, so `josé` typed with a combining accent and `josé` are one address.
 * - Refused, with the reason and the position: control characters (NUL included), zero-width and other invisible
 *   characters, bidirectional controls, spaces, quoted local parts, more than one @.
 * - Local part ≤ 64 bytes (UTF-8), each domain label ≤ 63, the whole address ≤ 254. Letters of any script are
 *   allowed before the @ (RFC 6531).
 * - Internationalised domains: Clerk's docs do not say that Unicode domains are accepted, and `bücher.de` and
 *   `xn--bcher-kva.de` would be two addresses to Clerk (two invitations for one mailbox). So the domain must be
 *   written in ASCII: the problem text gives the Punycode (`xn--…`) form to use instead.
 * - The domain is lower-cased; the local part is kept as typed (it may be case-sensitive).
 */
import { addressInside } from './sheet/emailColumn.ts';

export type EmailCheck = { ok: true; email: string } | { ok: false; email: string; reason: string };

const LOCAL_MAX = 64;
const LABEL_MAX = 63;
const TOTAL_MAX = 254;
/** A quoted address is cut to this many characters in messages: problem texts never echo a huge cell. */
const SHOW_MAX = 80;

const ZERO_WIDTH = new Map<number, string>([
  [0x00ad, 'SOFT HYPHEN'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x2060, 'WORD JOINER'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
]);
const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
const isInvisible = (cp: number) => isControl(cp) || ZERO_WIDTH.has(cp) || BIDI.has(cp);

/** The address as a message shows it: invisible characters spelled out, cut to a readable length. */
export function showEmail(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isInvisible(cp) ? `⟨${hex(cp)}⟩` : ch;
    if (out.length > SHOW_MAX) return `${out.slice(0, SHOW_MAX)}…`;
  }
  return out;
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

const ASCII_PRINTABLE = /^[\x21-\x7e]*$/;
/** RFC 5322 atext plus dots; beyond ASCII, letters, marks and digits of any script (RFC 6531). */
const LOCAL_CHAR = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]|[\p{L}\p{M}\p{N}]/u;
const LOCAL_ASCII = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Trims, NFC-normalises and lower-cases the domain; never fails (for storing what was typed). */
export function normalizeEmail(email: string): string {
  let t = email.trim();
  if (!ASCII_PRINTABLE.test(t)) t = t.normalize('NFC');
  const at = t.lastIndexOf('@');
  if (at < 0) return t;
  return `${t.slice(0, at)}@${t.slice(at + 1).toLowerCase()}`;
}

/**
 * What one address is known by everywhere: the sheet's duplicate check, the journal's rows (their `email_key`), the
 * history-aware review, follow-ups and history search. The normalised address lower-cased with Unicode's rules
 * (`JOSÉ@x.io` and `josé@x.io` are one key; SQLite's NOCASE and lower() fold ASCII only, so never compare there).
 */
export const emailKey = (email: string): string => normalizeEmail(email).toLowerCase();

/** The Punycode form of a Unicode domain, where the runtime's URL parser can give it. */
function asciiDomain(domain: string): string | null {
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return ASCII_PRINTABLE.test(host) && host !== '' ? host : null;
  } catch {
    return null;
  }
}

/** The common case, already normalised: short enough that no length limit can bite (checked first, cheaply). */
const PLAIN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export function checkEmail(raw: string): EmailCheck {
  if (raw.length <= LOCAL_MAX && PLAIN.test(raw)) return { ok: true, email: raw };
  const email = normalizeEmail(raw);
  const bad = (reason: string): EmailCheck => ({
    ok: false,
    email,
    reason: `“${showEmail(email)}” is not a valid email address: ${reason}`,
  });
  if (email === '') return { ok: false, email, reason: 'Email is missing' };
  const inside = addressInside(email);
  if (inside !== null) return bad(`it is a name and an address (as a mail program copies them): use ${inside}`);
  if (!ASCII_PRINTABLE.test(email)) {
    let pos = 0;
    for (const ch of email) {
      pos++;
      const cp = ch.codePointAt(0)!;
      if (cp === 0) return bad(`it contains a NUL character (U+0000) at character ${pos}; the file may be UTF-16 or binary`);
      if (isControl(cp)) return bad(`it contains a control character (${hex(cp)}) at character ${pos}`);
      if (ZERO_WIDTH.has(cp))
        return bad(`it contains an invisible character (${hex(cp)} ${ZERO_WIDTH.get(cp)}) at character ${pos}; retype it`);
      if (BIDI.has(cp))
        return bad(`it contains a text-direction control (${hex(cp)}) at character ${pos}, which can make one address look like another`);
      if (/\s/u.test(ch)) return bad(`it contains a space (character ${pos})`);
    }
  }
  const at = email.lastIndexOf('@');
  if (at < 0) return bad('it has no @');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.includes('@')) return bad('it has more than one @');
  if (local === '') return bad('nothing before the @');
  if (domain === '') return bad('nothing after the @');
  if (local.startsWith('"')) return bad('quoted parts before the @ are not accepted');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return bad('a dot cannot start or end the part before the @, or follow another dot');
  if (!LOCAL_ASCII.test(local)) for (const ch of local) if (!LOCAL_CHAR.test(ch)) return bad(`“${ch}” is not allowed before the @`);
  if (local.length > LOCAL_MAX / 4 && utf8Bytes(local) > LOCAL_MAX)
    return bad(`${utf8Bytes(local)} bytes before the @; at most ${LOCAL_MAX} are allowed`);
  if (!ASCII_PRINTABLE.test(domain)) {
    const puny = asciiDomain(domain);
    return bad(
      `internationalised domains are not sent (Clerk's docs do not promise them, and the Unicode and ASCII forms would be two addresses); write it in ASCII${puny ? ` (${local}@${puny})` : ' (its xn-- Punycode form)'}`,
    );
  }
  if (domain.endsWith('.')) return bad('the domain ends with a dot');
  const labels = domain.split('.');
  if (labels.length < 2) return bad('the domain needs a dot (like example.com)');
  for (const label of labels) {
    if (label.length > LABEL_MAX) return bad(`a part of the domain has ${label.length} characters; at most ${LABEL_MAX} are allowed`);
    if (!LABEL.test(label))
      return bad(
        label === ''
          ? 'the domain has an empty part (two dots in a row)'
          : `“${showEmail(label)}” in the domain may hold only letters, digits and inner hyphens`,
      );
  }
  if (/^\d+$/.test(labels.at(-1)!)) return bad('the domain ends in a number (IP addresses are not accepted)');
  const total = email.length > TOTAL_MAX / 4 ? utf8Bytes(email) : email.length;
  if (total > TOTAL_MAX) return bad(`it is ${total} bytes long; at most ${TOTAL_MAX} are allowed`);
  return { ok: true, email };
}

export const isEmail = (email: string): boolean => checkEmail(email).ok;
