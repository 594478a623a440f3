/**
 * Row roles against the organization's role set: Clerk refuses a role the set lacks (`role_not_found`), so such a
 * row is a problem in the grid, before the review, not a failure in the run. The role set comes from Clerk (the
 * window asks for it), so this is a pass over a finished validation rather than part of the pure row check.
 */
import type { Problem, SheetValidation } from './validate.ts';
import type { SheetDoc } from './types.ts';

/** Why a role is refused, naming the roles there are (the first few). */
export function roleProblem(role: string, roles: readonly string[], orgName: string): string {
  const shown = roles.slice(0, 6).join(', ') + (roles.length > 6 ? ', …' : '');
  return `Role “${role.slice(0, 60)}” is not one of ${orgName ? `${orgName}’s` : 'the organization’s'} roles (${shown}): Clerk would refuse it`;
}

export function checkRoles(
  v: SheetValidation,
  sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>,
  roles: readonly string[] | null,
): SheetValidation {
  const s = sheet.settings;
  if (s.kind !== 'org' || !roles || roles.length === 0) return v;
  const known = new Set(roles);
  const roleCol = sheet.columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'role');
  const fallback = s.role.trim();
  const sheetBad = fallback !== '' && !known.has(fallback);
  const added: Problem[] = [];
  const rows = v.rows.slice();
  const cellErrors = new Map(v.cellErrors);
  let moved = 0;
  let waiting = 0;
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r]!;
    if (!o.ok) continue;
    const cell = roleCol >= 0 ? (sheet.rows[r]?.[roleCol] ?? '').trim() : '';
    const role = cell || fallback;
    if (known.has(role)) continue;
    // A role from the settings is the sheet's one problem; a cell's is this row's.
    const p: Problem = cell
      ? { row: r, col: roleCol, message: roleProblem(role, roles, s.organizationName) }
      : { row: r, col: null, message: `Default role: ${roleProblem(role, roles, s.organizationName)}`, sheet: true };
    rows[r] = o.key === undefined ? { ok: false, problems: [p] } : { ok: false, problems: [p], key: o.key };
    moved++;
    if (p.sheet) {
      waiting++;
      continue;
    }
    added.push(p);
    const m = new Map(cellErrors.get(r) ?? []);
    m.set(roleCol, p.message);
    cellErrors.set(r, m);
  }
  if (moved === 0) return v;
  const sheetWide = v.problems.filter((p) => p.row < 0);
  if (sheetBad)
    sheetWide.push({ row: -1, col: null, message: `Default role: ${roleProblem(fallback, roles, s.organizationName)}`, sheet: true });
  const own = [...v.problems.filter((p) => p.row >= 0), ...added].sort((a, b) => a.row - b.row);
  return {
    ...v,
    rows,
    problems: [...sheetWide, ...own],
    cellErrors,
    validCount: v.validCount - moved,
    invalidCount: v.invalidCount + moved - waiting,
    waitingCount: v.waitingCount + waiting,
  };
}
