/** What every emulator route is made of: its context, its declaration, paging and the organization it names. */
import { errors, validationError } from './errors.ts';
import type { Behaviour } from './behaviour.ts';
import type { Bucket } from './rateLimit.ts';
import type { EmuInstance, EmuOrg } from './store.ts';

export type Ctx = {
  behaviour: Behaviour;
  instance: EmuInstance;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  now: number;
  baseUrl: string;
};
export type Route = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: RegExp;
  bucket: Bucket | null;
  handle: (ctx: Ctx) => unknown;
  /** A second limit the call also draws from, by behaviour (the waitlist invite and the invitation budget). */
  alsoBucket?: (behaviour: Behaviour) => Bucket | null;
};

export const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Clerk turns a `limit` outside 1–500 into the default 10 (it does not refuse it). */
export function paging(q: URLSearchParams): { limit: number; offset: number } {
  const raw = q.has('limit') ? Number(q.get('limit')) : 10;
  const limit = Number.isInteger(raw) && raw >= 1 && raw <= 500 ? raw : 10;
  const offset = q.has('offset') ? Number(q.get('offset')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw validationError([errors.value('offset', 'must be 0 or more.')]);
  return { limit, offset };
}

export function orgOf(ctx: Ctx): EmuOrg {
  const org = ctx.instance.orgs.get(ctx.params['org'] ?? '') ?? [...ctx.instance.orgs.values()].find((o) => o.slug === ctx.params['org']);
  if (!org) throw errors.notFound();
  return org;
}

export function page<T>(items: T[], q: URLSearchParams) {
  const { limit, offset } = paging(q);
  return { data: items.slice(offset, offset + limit), total_count: items.length };
}

export const r = (method: Route['method'], path: string, bucket: Bucket | null, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^/v1${path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`),
  bucket,
  handle,
});
