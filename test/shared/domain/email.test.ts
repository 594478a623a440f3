import { describe, expect, it } from 'vitest';
import { checkEmail, emailKey, normalizeEmail } from '../../../src/shared/domain/email.ts';
import { validateSheet } from '../../../src/shared/domain/sheet/validate.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';

const reason = (s: string) => {
  const c = checkEmail(s);
  return c.ok ? null : c.reason;
};

describe('the email validator', () => {
  it('trims, NFC-normalises and lower-cases the domain, so composed and decomposed accents are one address', () => {
    expect(checkEmail('  jose\u0301@Example.COM ')).toEqual({ ok: true, email: 'jos\u00e9@example.com' });
    expect(normalizeEmail('jose\u0301@x.io')).toBe(normalizeEmail('jos\u00e9@x.io'));
    expect(checkEmail("Ana.O'Neil+tag@sub.example.co.uk")).toEqual({ ok: true, email: "Ana.O'Neil+tag@sub.example.co.uk" });
    expect(checkEmail('\u00a0ana@example.com\ufeff')).toEqual({ ok: true, email: 'ana@example.com' });
  });

  it('keys an address by its normalised form lower-cased with Unicode’s rules, as the sheet finds duplicates by', () => {
    expect(emailKey(' JOSÉ@Acme.TEST')).toBe('josé@acme.test');
    expect(emailKey('JOSE\u0301@acme.test')).toBe(emailKey('josé@acme.test'));
    expect(emailKey('ÅSA.Öst@acme.test')).toBe('åsa.öst@acme.test');
    const v = validateSheet({
      settings: defaultSettings(),
      columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
      rows: [['JOSÉ@acme.test'], ['josé@acme.test']],
    });
    expect(v.rows[1]).toMatchObject({ ok: false, duplicateOf: 0 });
  });

  it.each([
    ['ana\u0000@example.com', /NUL character \(U\+0000\) at character 4/],
    ['an\u0007a@example.com', /control character \(U\+0007\)/],
    ['ana\u200b@example.com', /invisible character \(U\+200B ZERO WIDTH SPACE\) at character 4/],
    ['ana@exa\u200dmple.com', /invisible character \(U\+200D/],
    ['\u202eana@example.com', /text-direction control \(U\+202E\)/],
    ['ana@exam\u2066ple.com', /text-direction control \(U\+2066\)/],
    ['ana maria@example.com', /contains a space \(character 4\)/],
    ['not-an-email', /has no @/],
    ['a@b@example.com', /more than one @/],
    ['"ana"@example.com', /quoted parts/],
    ['.ana@example.com', /dot cannot start/],
    ['ana..b@example.com', /dot cannot start or end .* or follow another dot/],
    ['ana(x)@example.com', /“\(” is not allowed before the @/],
    ['ana@localhost', /needs a dot/],
    ['ana@example..com', /empty part/],
    ['ana@-example.com', /“-example” in the domain/],
    ['ana@example.com.', /ends with a dot/],
    ['ana@10.0.0.1', /IP addresses/],
    [`${'a'.repeat(65)}@example.com`, /65 bytes before the @; at most 64/],
    [`${'é'.repeat(33)}@example.com`, /66 bytes before the @/],
    [`ana@${'a'.repeat(64)}.com`, /64 characters; at most 63/],
    [`${'a'.repeat(60)}@${Array(4).fill('b'.repeat(60)).join('.')}.io`, /bytes long; at most 254/],
  ])('refuses %j with the reason', (email, why) => {
    expect(reason(email)).toMatch(/^“.*” is not a valid email address: /);
    expect(reason(email)).toMatch(why);
  });

  it('shows invisible characters in the message and never echoes a huge cell', () => {
    expect(reason('ana\u200b@example.com')).toMatch(/^“ana⟨U\+200B⟩@example\.com”/);
    expect(reason(`${'x'.repeat(1_000_000)}@`)!.length).toBeLessThan(200);
  });

  it('accepts letters of any script before the @, and sends internationalised domains only in their ASCII form', () => {
    expect(checkEmail('用户@example.com')).toEqual({ ok: true, email: '用户@example.com' });
    expect(reason('ana@bücher.de')).toMatch(/internationalised domains are not sent .* write it in ASCII \(ana@xn--bcher-kva\.de\)/);
    expect(checkEmail('ana@xn--bcher-kva.de')).toEqual({ ok: true, email: 'ana@xn--bcher-kva.de' });
  });
});
