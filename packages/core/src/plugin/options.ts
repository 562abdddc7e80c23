/** Validates plugin options through the plugin's own Standard Schema. */
import { PluginOptionsError } from '../errors.js';
import { didYouMean, nearestNames } from '../nearest.js';
import type { AnyPlugin } from './contract.js';

/**
 * Returns the plugin's parsed options (defaults applied) for `input`, or throws a
 * PluginOptionsError naming the plugin, the option, what was expected and what was received.
 * A key the schema accepted but dropped (a `z.object` rather than `z.strictObject`) is refused
 * too: a misspelt `--server-opt` must not pass silently as a default.
 */
export async function validatePluginOptions<P extends AnyPlugin>(
  plugin: P,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await plugin.options['~standard'].validate(input);
  if (!result.issues) {
    const value = (result.value ?? {}) as Record<string, unknown>;
    refuseDroppedKeys(plugin, input, value);
    return value;
  }
  const known = objectShapeKeys(plugin.options) ?? [];
  const lines = result.issues.flatMap((issue) => {
    // zod's "Unrecognized key": name the key, the known ones, and the one meant.
    const keys = (issue as { keys?: unknown }).keys;
    if (Array.isArray(keys) && /unrecognized key/i.test(issue.message)) {
      return keys.map((key: string) => unknownOption(plugin, key, known, input[key]));
    }
    const path = (issue.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.');
    const received = path ? valueAt(input, path.split('.')) : undefined;
    const receivedText = received === undefined ? '' : `, received ${JSON.stringify(received)}`;
    return `${plugin.kind} plugin "${plugin.name}": option "${path || '(options)'}": ${cleanMessage(issue.message)}${receivedText}`;
  });
  throw new PluginOptionsError(lines.join('\n'), {
    plugin: plugin.name,
    suggestions: [`Run \`iobench list\` to see the options of "${plugin.name}" and their defaults.`],
  });
}

function refuseDroppedKeys(plugin: AnyPlugin, input: Record<string, unknown>, value: Record<string, unknown>): void {
  if (typeof value !== 'object' || value === null) return;
  // A schema that maps options to another shape (a transform) is judged by its object shape, when it has one.
  const shape = objectShapeKeys(plugin.options);
  const known = shape ?? Object.keys(value);
  const dropped = Object.keys(input).filter(
    (key) => input[key] !== undefined && !(key in value) && !shape?.includes(key),
  );
  if (dropped.length === 0) return;
  const lines = dropped.map((key) => unknownOption(plugin, key, known, input[key]));
  throw new PluginOptionsError(lines.join('\n'), {
    plugin: plugin.name,
    suggestions: [`Run \`iobench list\` to see the options of "${plugin.name}" and their defaults.`],
  });
}

/** `option "engin" is not one of its options (did you mean "engine"?; known: ...)`. */
function unknownOption(plugin: AnyPlugin, key: string, known: string[], value: unknown): string {
  const near = didYouMean(nearestNames(key, known));
  return `${plugin.kind} plugin "${plugin.name}": option "${key}" is not one of its options${near} (known: ${known.join(', ') || 'none'}), received ${JSON.stringify(value)}`;
}

/** Keys of a zod object schema (`shape`), also behind a transform (a pipe's `in`); undefined for other schemas. */
function objectShapeKeys(schema: unknown): string[] | undefined {
  const { shape, in: input } = schema as { shape?: unknown; in?: unknown };
  if (typeof shape === 'object' && shape !== null) return Object.keys(shape);
  return typeof input === 'object' && input !== null ? objectShapeKeys(input) : undefined;
}

/** zod says "Invalid input: expected number, received string"; we print the value itself instead. */
function cleanMessage(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
}

function valueAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
