/** An IPC handler's Result in tests: asserts it is ok and gives its value. */
import { expect } from 'vitest';

export function ok<T>(r: { ok: boolean }): T {
  expect(r).toMatchObject({ ok: true });
  return (r as { ok: true; value: T }).value;
}
