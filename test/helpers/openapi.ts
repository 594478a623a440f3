/** Validates JSON against Clerk's own OpenAPI spec (test/contract/bapi-2026-05-12.yml) with Ajv. */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Spec = { paths: Record<string, Record<string, { responses?: Record<string, { $ref?: string }> }>> };
const spec = parse(readFileSync(new URL('../contract/bapi-2026-05-12.yml', import.meta.url), 'utf8')) as Spec;

// OpenAPI 3.0 schemas carry `nullable`, `example`, `deprecated`…: Ajv understands nullable, ignores the rest.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
addFormats(ajv);
ajv.addSchema(nullableWithoutType(spec) as object, 'spec');

/**
 * Ajv accepts `nullable` only beside `type`; the spec also puts it beside `allOf` (RoleSet.default_role), with or
 * without a `type` (WaitlistEntry.invitation): there null must skip the `allOf` too.
 */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, nullableWithoutType(v)] as const);
  const o = Object.fromEntries(entries) as Record<string, unknown>;
  if (o['nullable'] === true && (!('type' in o) || 'allOf' in o)) {
    const { nullable: _drop, ...rest } = o;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return o;
}

const cache = new Map<string, ValidateFunction>();
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function compiled(pointer: string): ValidateFunction {
  let v = cache.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `spec#${pointer}` });
    cache.set(pointer, v);
  }
  return v;
}

function check(v: ValidateFunction, value: unknown, what: string): void {
  if (!v(value))
    throw new Error(
      `${what} does not match Clerk's OpenAPI spec: ${ajv.errorsText(v.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 800)}`,
    );
}

/** Throws unless `body` is what the spec says `METHOD path` answers with `status`. */
export function assertResponseMatchesSpec(method: string, path: string, status: number, body: unknown): void {
  const op = spec.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`No ${method} ${path} in the spec`);
  const response = op.responses?.[String(status)];
  if (!response) throw new Error(`The spec has no ${status} answer for ${method} ${path}`);
  const pointer = response.$ref
    ? `${response.$ref.slice(1)}/content/application~1json/schema`
    : `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  check(compiled(pointer), body, `${method} ${path} → ${status}`);
}

/** Throws unless `body` is a valid request body for `METHOD path`. */
export function assertRequestMatchesSpec(method: string, path: string, body: unknown): void {
  check(
    compiled(`/paths/${escape(path)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`),
    body,
    `${method} ${path} request`,
  );
}

/** Throws unless `value` matches `#/components/schemas/NAME`. */
export function assertSchema(name: string, value: unknown): void {
  check(compiled(`/components/schemas/${escape(name)}`), value, name);
}
