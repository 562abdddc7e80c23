/** Validates plugin options through the plugin's own Standard Schema. */
import { PluginOptionsError } from '../errors.js';
import type { AnyPlugin } from './contract.js';

/**
 * Returns the plugin's parsed options (defaults applied) for `input`, or throws a
 * PluginOptionsError naming the plugin, the option, what was expected and what was received.
 */
export async function validatePluginOptions<P extends AnyPlugin>(
  plugin: P,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await plugin.options['~standard'].validate(input);
  if (!result.issues) return (result.value ?? {}) as Record<string, unknown>;
  const lines = result.issues.map((issue) => {
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
