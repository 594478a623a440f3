/** Small pieces the operations share: one answer → Created, and the newest pending invitation of an email. */
import { emailKey } from '../../../../../shared/domain/email.ts';
import type { CreateAnswer } from '../../../clerk/checkCreated.ts';
import type { BatchAnswer, Created, Found } from '../operation.ts';

type Answer = { emailAddress: string; id: string; status: string; url: string | null; expiresAt: number | null; createdAt: number };

export const created = (x: Answer): Created => ({
  email: x.emailAddress,
  id: x.id,
  status: x.status,
  url: x.url,
  expiresAt: x.expiresAt,
  createdAt: x.createdAt,
});

/** The newest invitation of a list for exactly this email (any case), as a lookup found it. */
export function newestFor(
  list: readonly { emailAddress: string; id: string; status: string; url: string | null; createdAt: number }[],
  email: string,
): Found {
  const e = emailKey(email);
  const hit = list.filter((i) => emailKey(i.emailAddress) === e).sort((a, b) => b.createdAt - a.createdAt)[0];
  return hit ? { id: hit.id, status: hit.status, url: hit.url, createdAt: hit.createdAt } : null;
}

/** A checked create answer (clerk/checkCreated.ts) as the run sees it. */
export const proven = (a: CreateAnswer<Answer>): BatchAnswer => ({
  done: a.created.map((p) => ({ index: p.index, created: created(p.invitation) })),
  unknown: a.unknown.map((u) => u.index),
});

/** One row done (revokes answer with the invitation revoked). */
export const one = (x: Answer): BatchAnswer => ({ done: [{ index: 0, created: created(x) }], unknown: [] });

export const noStatus = async (): Promise<string | null> => null;
