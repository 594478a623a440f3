/**
 * One runtime parser per channel. Every argument enters main as `unknown`; this is the only door.
 * The mapped type makes a channel without a parser a compile error.
 */
import { z } from 'zod';
import type { Args, Channel } from './contract.ts';

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a profile id');
const name = z.string().trim().min(1, 'Give the profile a name').max(80, 'Keep the name under 80 characters');
const secretKey = z
  .string()
  .trim()
  .max(300, 'That is too long for a Clerk secret key')
  .regex(/^sk_(test|live)_[A-Za-z0-9]{8,}$/, 'A Clerk secret key starts with sk_test_ or sk_live_');
const baseUrl = z
  .string()
  .trim()
  .max(500)
  // A regex, not URL: shared code runs where neither DOM nor Node globals are declared.
  .regex(
    /^(https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?)(\/[^\s?#]*)?$/,
    'Use an https:// URL (plain http only for 127.0.0.1 or localhost)',
  );

const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);

type Parsers = { [C in Channel]: z.ZodType<Args<C>, unknown> };

export const parsers: Parsers = {
  'app:info': none,
  'profiles:list': none,
  'profiles:add': z
    .object({ name, secretKey, baseUrl: baseUrl.optional() })
    .strict()
    .transform((v) => (v.baseUrl === undefined ? { name: v.name, secretKey: v.secretKey } : { ...v, baseUrl: v.baseUrl })),
  'profiles:rename': z.object({ id, name }).strict(),
  'profiles:replaceKey': z.object({ id, secretKey }).strict(),
  'profiles:delete': z.object({ id }).strict(),
  'profiles:select': z.object({ id }).strict(),
  'profiles:check': z.object({ id }).strict(),
};

export type ParseFailure = { field: string | undefined; message: string };

export function parseArgs<C extends Channel>(
  channel: C,
  raw: unknown,
): { ok: true; value: Args<C> } | { ok: false; failure: ParseFailure } {
  const parsed = parsers[channel].safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : undefined;
  return { ok: false, failure: { field, message: issue?.message ?? 'Invalid arguments' } };
}
