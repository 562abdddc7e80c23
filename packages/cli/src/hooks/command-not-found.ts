/**
 * `iobench rn`: names the command meant and exits 2 (bad usage). @oclif/plugin-not-found offers its
 * suggestion only as an interactive prompt, so a script or CI log would get none; this says it on
 * every stream and never runs a benchmark the user did not type.
 */
import { didYouMean, nearestNames } from '@iobench/engine/plugin';
import { type Hook, toConfiguredId } from '@oclif/core';

const hook: Hook.CommandNotFound = async function (opts) {
  const visible = opts.config.commands.filter((c) => !c.hidden);
  const ids = visible.flatMap((c) => [c.id, ...c.aliases]);
  const near = nearestNames(opts.id, ids).map((id) => `${opts.config.bin} ${toConfiguredId(id, opts.config)}`);
  const typed = `${opts.config.bin} ${toConfiguredId(opts.id, opts.config)}`;
  process.stderr.write(`iobench: "${typed}" is not an iobench command${didYouMean(near)}\n`);
  process.stderr.write(`  hint: \`${opts.config.bin} help\` lists the commands\n`);
  this.exit(2);
};

export default hook;
