/**
 * Live validation of a whole sheet (each row by rowRules.ts, then duplicates and sheet-level problems), the row
 * cache and the packed results. Pure and fast: 100,000 rows in well under a second.
 */
import type { RepairRequest } from '../metadata/repairPlan.ts';
import { excerpt } from './values.ts';
import type { SheetColumn, SheetDoc, SheetSettings } from './types.ts';
import { buildRow, planColumns, templateOf, type ColumnPlan, type Template } from './rowRules.ts';

export { buildRow, METADATA_LIMIT_BYTES, planColumns, templateOf, type ColumnPlan } from './rowRules.ts';

/** `sheet`: the sheet as a whole lacks something (a setting, a mapped column), so every row has the same problem;
 * the sheet's list names it once (row -1) while each row's own outcome still carries it, so the row is not sent. */
export type Problem = { row: number; col: number | null; message: string; sheet?: true };

export type RowRequest = {
  emailAddress: string;
  publicMetadata: Record<string, unknown>;
  privateMetadata: Record<string, unknown>;
  notify: boolean;
  ignoreExisting: boolean;
  expiresInDays?: number;
  redirectUrl?: string;
  templateSlug?: 'invitation' | 'waitlist_invitation';
  role?: string;
  organizationId?: string;
  inviterUserId?: string;
  /** Revoke runs: the invitation to revoke (the rest of the request is kept for the record). */
  revokeInvitationId?: string;
  /**
   * Organization runs: the account the pre-flight found for this email, added as a member directly (no invitation,
   * no email, no invitation budget). The row's role and metadata go on the membership.
   */
  memberUserId?: string;
  /** The pre-flight found an account for this email and the user chose to invite it anyway (application runs). */
  existingUser?: boolean;
  /** Repair runs (issue 24): whose metadata to write, and each key's write with what was there at the check. */
  repair?: RepairRequest;
  /** Waitlist runs: the entry to invite or reject (`wle_…`). */
  waitlistEntryId?: string;
  /**
   * Reminders (Invitations page, reminder rules): the pending invitation this fresh one replaces, made at `createdAt`
   * by Clerk's clock. Never sent to Clerk: a newer pending invitation found at send time means someone reminded the
   * person since (a teammate's run, the Dashboard), and no second email goes.
   */
  replaces?: { invitationId: string; createdAt: number };
  /** Waitlist invites: the pace the run assumes (does `/invite` draw the hourly invitation budget? unknown). */
  waitlistPace?: WaitlistPace;
};

/** `general`: only the general limit (Clerk documents no other); `invitations`: also 100 an hour, safe either way. */
export type WaitlistPace = 'general' | 'invitations';

/** `key`: what duplicates are found by (normalised email, and the organization on org sheets), set whenever the
 * email itself is valid, so a second copy of a row with another problem still counts as a duplicate. */
export type RowOutcome = { ok: true; request: RowRequest; key?: string } | { ok: false; problems: Problem[]; key?: string };

export type SheetValidation = {
  /** Per row: null when it will be sent, else why not. */
  rows: (RowOutcome & { duplicateOf?: number })[];
  /** The sheet's problems (each once, row -1) first, then the rows' own. */
  problems: Problem[];
  /** row → col → message, for marking cells. */
  cellErrors: Map<number, Map<number, string>>;
  validCount: number;
  /** Rows with a problem of their own. */
  invalidCount: number;
  /** Rows held only by the sheet's problems (a setting it lacks): they go once the settings are fixed. */
  waitingCount: number;
  duplicateCount: number;
};

/** buildRow, but a row that breaks it (a bug, or input beyond every check) becomes that row's problem alone. */
function buildRowSafely(...args: Parameters<typeof buildRow>): RowOutcome {
  try {
    return buildRow(...args);
  } catch (e) {
    const message = excerpt(e instanceof Error ? e.message : String(e), 160);
    return { ok: false, problems: [{ row: args[0], col: null, message: `This row could not be checked (${message}); edit or delete it` }] };
  }
}

type BuildArgs = { columns: readonly SheetColumn[]; settings: SheetSettings; template: Template; plan: ColumnPlan };
/** What building any row of this sheet needs, worked out once per sheet. */
const argsOf = (sheet: Pick<SheetDoc, 'columns' | 'settings'>): BuildArgs => ({
  columns: sheet.columns,
  settings: sheet.settings,
  template: templateOf(sheet.settings),
  plan: planColumns(sheet.columns),
});

/**
 * A ready row that keeps only its key and builds its request again when asked (the window asks for one row at a
 * time, in the metadata panel): 100,000 rows then hold one small object each, not a request with its metadata,
 * which is most of what an import allocates and the garbage collector copies.
 */
class ReadyRow {
  readonly ok = true;
  readonly key: string;
  readonly #row: number;
  readonly #cells: readonly string[];
  readonly #args: BuildArgs;
  constructor(row: number, cells: readonly string[], key: string, args: BuildArgs) {
    this.#row = row;
    this.#cells = cells;
    this.key = key;
    this.#args = args;
  }
  get request(): RowRequest {
    const a = this.#args;
    const o = buildRowSafely(this.#row, this.#cells, a.columns, a.settings, a.template, a.plan);
    if (!o.ok) throw new Error('A ready row no longer builds: validate the sheet again');
    return o.request;
  }
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * Row outcomes cached by row identity: rows are immutable arrays, so an edit replaces only the rows it
 * touched and live validation of a 100,000-row sheet re-checks just those (plus the cheap duplicate pass).
 */
export type RowCache = { columns: unknown; settings: unknown; rows: (readonly string[])[]; outcomes: RowOutcome[] };
export const createRowCache = (): RowCache => ({ columns: null, settings: null, rows: [], outcomes: [] });

/**
 * Rows [from, to) checked elsewhere (the import's worker checks part of a new sheet while the window checks the
 * rest): per row, ready or not; a ready row's key (one text and lengths, like packed rows); a row that is not
 * ready, its outcome. Blank rows are neither (validateSheet skips them).
 */
export type CheckedRows = {
  from: number;
  to: number;
  ready: Uint8Array;
  keys: string;
  keyLengths: Uint32Array;
  notReady: [number, RowOutcome][];
};

export function checkRows(sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>, from: number, to: number): CheckedRows {
  const { template, plan } = argsOf(sheet);
  const ready = new Uint8Array(to - from);
  const keyLengths = new Uint32Array(to - from);
  const keys: string[] = [];
  const notReady: [number, RowOutcome][] = [];
  for (let r = from; r < to; r++) {
    const cells = sheet.rows[r]!;
    if (isBlankRow(cells)) continue;
    const o = buildRowSafely(r, cells, sheet.columns, sheet.settings, template, plan);
    if (o.ok && o.key !== undefined) {
      ready[r - from] = 1;
      keyLengths[r - from] = o.key.length;
      keys.push(o.key);
    } else notReady.push([r, o]);
  }
  return { from, to, ready, keys: keys.join(''), keyLengths, notReady };
}

/** Fills a fresh cache with rows checked elsewhere, so validateSheet(sheet, cache, lazy) only adds them up. */
export function primeCache(sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>, cache: RowCache, parts: readonly CheckedRows[]): void {
  if (cache.columns !== sheet.columns || cache.settings !== sheet.settings || cache.rows.length !== sheet.rows.length) {
    cache.columns = sheet.columns;
    cache.settings = sheet.settings;
    // Sized up front: rows arrive out of order (ready ones, then the others), and a growing array would turn sparse.
    cache.rows = new Array(sheet.rows.length);
    cache.outcomes = new Array(sheet.rows.length);
  }
  const args = argsOf(sheet);
  for (const part of parts) {
    let at = 0;
    for (let r = part.from; r < part.to; r++) {
      if (part.ready[r - part.from] !== 1) continue;
      const end = at + part.keyLengths[r - part.from]!;
      cache.rows[r] = sheet.rows[r]!;
      cache.outcomes[r] = new ReadyRow(r, sheet.rows[r]!, part.keys.slice(at, end), args);
      at = end;
    }
    for (const [r, o] of part.notReady) {
      cache.rows[r] = sheet.rows[r]!;
      cache.outcomes[r] = o;
    }
  }
}

/**
 * `requests: 'lazy'`: ready rows build their request when it is read (the window: one row at a time), instead
 * of keeping 100,000 of them (main keeps them: it sends them all).
 */
export function validateSheet(
  sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>,
  cache: RowCache = createRowCache(),
  options: { requests?: 'keep' | 'lazy' } = {},
): SheetValidation {
  const lazy = options.requests === 'lazy';
  if (cache.columns !== sheet.columns || cache.settings !== sheet.settings) {
    cache.columns = sheet.columns;
    cache.settings = sheet.settings;
    cache.rows = [];
    cache.outcomes = [];
  }
  // Index-aligned arrays (a hit is the same row object at the same index): far cheaper than a WeakMap.
  const prevRows = cache.rows;
  const prevOutcomes = cache.outcomes;
  const nextRows: (readonly string[])[] = new Array(sheet.rows.length);
  const nextOutcomes: RowOutcome[] = new Array(sheet.rows.length);
  const args = argsOf(sheet);
  const { template, plan } = args;
  const rows: SheetValidation['rows'] = [];
  const problems: Problem[] = [];
  const sheetProblems: Problem[] = [];
  const cellErrors = new Map<number, Map<number, string>>();
  const firstByEmail = new Map<string, number>();
  const emailCol = sheet.columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'email');
  let validCount = 0;
  let waitingCount = 0;
  let duplicateCount = 0;
  let blank = 0;
  const sheetWide = new Set<string>();
  const mark = (p: Problem) => {
    if (p.sheet) {
      if (!sheetWide.has(p.message)) {
        sheetWide.add(p.message);
        sheetProblems.push({ row: -1, col: null, message: p.message, sheet: true });
      }
      return;
    }
    problems.push(p);
    if (p.col !== null) {
      let m = cellErrors.get(p.row);
      if (!m) cellErrors.set(p.row, (m = new Map()));
      if (!m.has(p.col)) m.set(p.col, p.message);
    }
  };
  if (template.error) mark({ row: -1, col: null, message: template.error, sheet: true });
  for (let r = 0; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r]!;
    // A cached row was not blank when checked (blank rows are never cached), and rows are never changed in place.
    let outcome = prevRows[r] === cells ? prevOutcomes[r] : undefined;
    if (!outcome && isBlankRow(cells)) {
      rows.push({ ok: false, problems: [] });
      blank++;
      continue;
    }
    if (!outcome) {
      outcome = buildRowSafely(r, cells, sheet.columns, sheet.settings, template, plan);
      if (lazy && outcome.ok && outcome.key !== undefined) outcome = new ReadyRow(r, cells, outcome.key, args);
    }
    nextRows[r] = cells;
    nextOutcomes[r] = outcome;
    const key = outcome.key;
    const first = key === undefined ? undefined : firstByEmail.get(key);
    if (first !== undefined) {
      // A second copy is never sent, whether or not the first one is ready yet.
      const p = { row: r, col: emailCol >= 0 ? emailCol : null, message: `Duplicate of row ${first + 1}: only the first is sent` };
      mark(p);
      const own = outcome.ok ? [] : outcome.problems;
      own.forEach(mark);
      rows.push({ ok: false, problems: [p, ...own], duplicateOf: first });
      duplicateCount++;
      continue;
    }
    if (key !== undefined) firstByEmail.set(key, r);
    if (!outcome.ok) {
      outcome.problems.forEach(mark);
      rows.push(outcome);
      if (outcome.problems.every((p) => p.sheet)) waitingCount++;
      continue;
    }
    rows.push(outcome);
    validCount++;
  }
  cache.rows = nextRows;
  cache.outcomes = nextOutcomes;
  return {
    rows,
    problems: sheetProblems.length > 0 ? [...sheetProblems, ...problems] : problems,
    cellErrors,
    validCount,
    invalidCount: rows.length - validCount - waitingCount - duplicateCount - blank,
    waitingCount,
    duplicateCount,
  };
}
