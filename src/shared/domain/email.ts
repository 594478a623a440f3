/** Email syntax as Clerk accepts it (close enough to refuse what Clerk would refuse), and normalization. */
export const EMAIL_PATTERN =
  /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Trims and lower-cases the domain; the local part is kept as typed (it may be case-sensitive). */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

export const isEmail = (email: string): boolean => EMAIL_PATTERN.test(email);
