/** A sheet: the spreadsheet the ops person edits. Cells are text, typed by what their column maps to. */
export type SheetKind = 'app' | 'org';

export const FIELDS = [
  'email',
  'redirect_url',
  'role',
  'organization_id',
  'expires_in_days',
  'notify',
  'ignore_existing',
  'template_slug',
  'inviter_user_id',
  'public_metadata',
  'private_metadata',
] as const;
export type Field = (typeof FIELDS)[number];

export type ValueType = 'auto' | 'string' | 'number' | 'boolean' | 'json';
export const VALUE_TYPES: readonly ValueType[] = ['auto', 'string', 'number', 'boolean', 'json'];

export type ColumnTarget =
  | { kind: 'field'; field: Field }
  /** One metadata key: `public.team.name` → `{ team: { name } }` in public_metadata. */
  | { kind: 'meta'; scope: 'public' | 'private'; path: string; type: ValueType }
  | { kind: 'ignore' };

export type SheetColumn = { id: string; header: string; target: ColumnTarget };

export type TemplateSlug = '' | 'invitation' | 'waitlist_invitation';

export type SheetSettings = {
  kind: SheetKind;
  organizationId: string;
  organizationName: string;
  inviterUserId: string;
  notify: boolean;
  ignoreExisting: boolean;
  /** Empty: Clerk's default (30 days). */
  expiresInDays: string;
  redirectUrl: string;
  templateSlug: TemplateSlug;
  role: string;
  /** Blank metadata cells either leave the key out or set it to null. */
  blankCells: 'omit' | 'null';
  /** Metadata every row starts from; row JSON cells and key columns are merged over it. */
  templatePublic: string;
  templatePrivate: string;
};

export type SheetDoc = {
  id: string;
  name: string;
  settings: SheetSettings;
  columns: SheetColumn[];
  rows: string[][];
  createdAt: number;
  updatedAt: number;
  /** Changes with every save: a save made over an older version is refused (two people editing one shared sheet). */
  version?: number;
};

export type SheetSummary = {
  id: string;
  name: string;
  kind: SheetKind;
  rowCount: number;
  updatedAt: number;
  createdAt: number;
  version?: number;
};

export const defaultSettings = (kind: SheetKind = 'app'): SheetSettings => ({
  kind,
  organizationId: '',
  organizationName: '',
  inviterUserId: '',
  notify: true,
  ignoreExisting: false,
  expiresInDays: '',
  redirectUrl: '',
  templateSlug: '',
  role: '',
  blankCells: 'omit',
  templatePublic: '',
  templatePrivate: '',
});

export const FIELD_LABELS: Record<Field, string> = {
  email: 'Email',
  redirect_url: 'Redirect URL',
  role: 'Role',
  organization_id: 'Organization ID',
  expires_in_days: 'Expires in days',
  notify: 'Notify',
  ignore_existing: 'Ignore existing',
  template_slug: 'Template',
  inviter_user_id: 'Inviter user ID',
  public_metadata: 'Public metadata (JSON)',
  private_metadata: 'Private metadata (JSON)',
};

export function targetLabel(t: ColumnTarget): string {
  switch (t.kind) {
    case 'field':
      return FIELD_LABELS[t.field];
    case 'meta':
      return `${t.scope}.${t.path}`;
    case 'ignore':
      return 'Not sent';
  }
}
