/** The Workspace setting's channel parsers (issue 26): a postgres:// URL of bounded size, a password never echoed back. */
import { z } from 'zod';

const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);
const url = z
  .string()
  .trim()
  .min(1, 'Enter the team database URL: postgres://user@host:5432/database')
  .max(2000, 'That is too long for a database URL')
  .regex(/^postgres(ql)?:\/\//i, 'The team database URL should start with postgres://');
// Never quoted back in a message: zod's own messages for a string do not carry it.
const password = z.string().max(1000, 'That is too long for a database password');

const team = {
  url,
  password: password.optional(),
  tls: z.boolean(),
};
/** An empty password field means "the one in the URL or the keychain": left out. */
const withoutEmpty = <T extends { password?: string | undefined }>(v: T) => {
  const { password: p, ...rest } = v;
  return p ? { ...rest, password: p } : rest;
};

export const workspaceParsers = {
  'workspace:get': none,
  'workspace:retry': none,
  'workspace:test': z.object(team).strict().transform(withoutEmpty),
  'workspace:switch': z.discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('local') })
      .strict()
      .transform(() => ({ kind: 'local' as const })),
    z
      .object({ kind: z.literal('team'), ...team, fourEyes: z.boolean(), copyHistory: z.boolean() })
      .strict()
      .transform(withoutEmpty),
  ]),
};
