/**
 * One decoder per table: a zod schema of a row as the database hands it back, turned into the app's type in one
 * place. A row that does not fit (a damaged file, a newer version's value) is an error naming the table, the column
 * and what is wrong, never a `String(undefined)` passed on as data.
 */
import { z } from 'zod';
import { Failure } from '../failure.ts';
import type { SqlValue } from './types.ts';

const num = z.union([z.number(), z.bigint()]).transform(Number);

/** Column shapes: SQLite's values as they come (numbers may be bigints; absent and NULL alike read as null). */
export const col = {
  text: z.string(),
  int: num,
  textOrNull: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  intOrNull: num.nullish().transform((v) => v ?? null),
  /** A JSON text column, parsed and then checked by `schema`. */
  json: <T extends z.ZodType>(schema: T) =>
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'is not JSON' });
          return z.NEVER;
        }
      })
      .pipe(schema),
};

export type Row = Record<string, SqlValue>;

/** `(row) => value` for `table`, throwing a `storage_unreadable` Failure that says where when a row does not fit. */
export function decoder<T extends z.ZodType>(table: string, schema: T): (r: Row) => z.output<T> {
  return (r) => {
    const p = schema.safeParse(r);
    if (p.success) return p.data;
    const issue = p.error.issues[0];
    const where = issue?.path.length ? `column ${issue.path.join('.')}` : 'a row';
    throw new Failure(
      'storage_unreadable',
      `${LOCAL} has a ${table} row it cannot read (${where}: ${issue?.message ?? 'unexpected value'}). ${NEWER}`,
      {
        detail: { table },
      },
    );
  };
}

/** `(row) => value` of one column of `table` (an id, a count, a time), checked and told as `decoder` does a row's. */
export function column<T extends z.ZodType>(table: string, name: string, schema: T): (r: Row) => z.output<T> {
  const read = decoder(table, z.object({ [name]: schema } as Record<string, T>));
  return (r) => read(r)[name] as z.output<T>;
}

const LOCAL = "Invite Desk's local database";
const NEWER = 'It may have been written by a newer version or damaged; nothing was changed.';

/**
 * The decoders are shared by this computer's database and the team's: a row the team database hands back that does
 * not fit is told as the team's, with the likely cause there (a teammate's newer Invite Desk). Anything else passes.
 */
export function toldOfTeamDatabase(e: unknown): unknown {
  if (!(e instanceof Failure) || e.code !== 'storage_unreadable' || !e.message.startsWith(LOCAL)) return e;
  const told = `The team database${e.message.slice(LOCAL.length, -NEWER.length)}A teammate's newer Invite Desk may have written it (update this one to theirs), or it is damaged; nothing was changed.`;
  return new Failure(e.code, told, e.detail ? { detail: e.detail } : {});
}
