/** Four eyes on production's channel parsers (issue 26): approval ids, the typed name, a rejection's reason. */
import { z } from 'zod';

const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an approval id');

export const approvalsParsers = {
  'approvals:settings': none,
  'approvals:list': none,
  'approvals:review': z.object({ id }).strict(),
  'approvals:approve': z.object({ id, confirmName: z.string().max(200) }).strict(),
  'approvals:reject': z
    .object({
      id,
      reason: z
        .string()
        .trim()
        .min(1, 'Say why it is rejected: the member who prepared it reads the reason')
        .max(1000, 'Keep the reason under 1,000 characters'),
    })
    .strict(),
  'approvals:withdraw': z.object({ id }).strict(),
};
