/** An expected failure with a stable code and a user-facing message (becomes a Result error over IPC). */
export class Failure extends Error {
  override readonly name = 'Failure';
  readonly code: string;
  readonly field: string | undefined;
  readonly detail: Record<string, unknown> | undefined;
  constructor(code: string, message: string, opts: { field?: string; detail?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.field = opts.field;
    this.detail = opts.detail;
  }
}
