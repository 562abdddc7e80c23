/** Describes a plugin's options (name, type, default, description) from its schema, for `iobench list`. */
import type { AnyPlugin } from '@iobench/core';
import { z } from 'zod';

export interface OptionDescription {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
}

/** Options of a zod-based plugin; `undefined` when the schema is another Standard Schema library's. */
export function describeOptions(plugin: AnyPlugin): OptionDescription[] | undefined {
  if (plugin.options['~standard'].vendor !== 'zod') return undefined;
  const json = z.toJSONSchema(plugin.options as unknown as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    type: typeOf(prop),
    ...(prop.default !== undefined ? { default: prop.default } : {}),
    ...(prop.description ? { description: prop.description } : {}),
  }));
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(' | ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'unknown'}[]`;
  if (s.type === 'object') return 'object';
  const base = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? ''}..${s.maximum ?? ''}` : '';
  return base + range;
}
