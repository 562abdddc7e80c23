/**
 * What kind of value each config key holds, derived from the zod schema, so that the strings of
 * `IOBENCH_*` variables and flags are typed by the schema that then validates them — never by a
 * hand-kept list of keys beside it.
 */
import { z } from 'zod';
import { type Config, createConfigSchema } from './schema.js';

/** The part of a JSON Schema the kinds are read from. */
interface JsonSchemaNode {
  type?: string | string[];
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
}

// What a key holds does not depend on the plan defaults; any servers and load will do.
const schema = createConfigSchema({ server: ['any'], load: 'any' });
const properties = (
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonSchemaNode> }
).properties;

/** The alternatives a value may take (`anyOf` / `oneOf` flattened). */
function alternatives(node: JsonSchemaNode): JsonSchemaNode[] {
  const nested = node.anyOf ?? node.oneOf;
  return nested ? nested.flatMap(alternatives) : [node];
}

function typesOf(node: JsonSchemaNode): string[] {
  return alternatives(node).flatMap((n) => (n.type === undefined ? [] : [n.type].flat()));
}

/** The list alternative of a key whose lists hold scalars (a list of objects is no comma-separated string). */
function scalarList(node: JsonSchemaNode): JsonSchemaNode | undefined {
  const list = alternatives(node).find((n) => n.type === 'array' && n.items);
  return list?.items && !typesOf(list.items).some((t) => t === 'object' || t === 'array') ? list.items : undefined;
}

function keysWhere(test: (node: JsonSchemaNode) => boolean): ReadonlySet<string> {
  return new Set(Object.keys(properties).filter((key) => test(properties[key]!)));
}

/** Keys whose values are lists of scalars; env variables and flags give them comma-separated. */
export const LIST_KEYS = keysWhere((node) => scalarList(node) !== undefined);

/**
 * Keys whose values (or list items) are numbers and never strings, so that `"8"` is typed `8`. A key
 * that also takes strings (a duration: `500ms` or a number of milliseconds) gets the string, which
 * its schema parses itself.
 */
export const NUMBER_KEYS = keysWhere((node) => {
  const types = [...typesOf(node), ...typesOf(scalarList(node) ?? {})];
  return types.some((t) => t === 'number' || t === 'integer') && !types.includes('string');
});

/**
 * Keys whose text is the user's own bytes — a header value or a body may hold commas and spaces that
 * are theirs (`accept: a, b`) — so a flag or variable gives them neither split nor trimmed.
 */
export const VERBATIM_KEYS: ReadonlySet<string> = new Set<ConfigKey>(['headers', 'body']);

/** A config key. */
export type ConfigKey = keyof Config;
