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
  const json = z.toJSONSchema(plugin.options as unknown as z.ZodType, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
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
  if (alts) {
    // Options that also accept their already-parsed object form (e.g. work) read as their text form.
    const types = [...new Set(alts.map(typeOf))];
    const shown = types.length > 1 ? types.filter((t) => t !== 'object') : types;
    return shown.join(' | ');
  }
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'unknown'}[]`;
  if (s.type === 'object') return 'object';
  const base = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const min = s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? s.minimum : undefined;
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  const range = min !== undefined || max !== undefined ? ` ${min ?? ''}..${max ?? ''}` : '';
  return base + range;
}
