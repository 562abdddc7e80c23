/**
 * Children that die with iobench. A SIGKILLed iobench runs no cleanup, so every long-lived child it
 * starts (server host, wrk, perf, strace) asks the kernel to be SIGKILLed when its parent dies
 * (PR_SET_PDEATHSIG). Node cannot call prctl between fork and exec, so the command is started
 * through util-linux's `setpriv --pdeathsig SIGKILL -- <command>`, which sets it and execs the
 * command in the same process: the pid stays the child's, so pinning, /proc reads and profilers
 * attached to it are unaffected.
 *
 * The kernel keeps the setting across exec (except into set-uid/set-gid or file-capability
 * binaries), and sends the signal when the *thread* that forked exits: Node spawns from the main
 * thread, which lives as long as the process. Without a usable setpriv, children start plainly
 * (logged under DEBUG=iobench:children) and only the normal cleanup paths apply.
 */
import { spawnSync } from 'node:child_process';
import createDebug from 'debug';
import { findInPath } from './find-in-path.js';

const debug = createDebug('iobench:children');

let prefix: readonly string[] | null | undefined;

/**
 * The command words that make what follows die with this process (`setpriv --pdeathsig SIGKILL
 * --`), or undefined when setpriv is missing or too old for `--pdeathsig` (util-linux < 2.33).
 * Looked up once.
 */
export function parentDeathPrefix(): readonly string[] | undefined {
  if (prefix === undefined) {
    const setpriv = findInPath('setpriv');
    const words = setpriv ? [setpriv, '--pdeathsig', 'SIGKILL', '--'] : undefined;
    const works = words !== undefined && spawnSync(words[0]!, [...words.slice(1), 'true']).status === 0;
    prefix = works ? words! : null;
    if (!works)
      debug('setpriv --pdeathsig is not available; children of a killed iobench may outlive it (install util-linux)');
  }
  return prefix ?? undefined;
}

/** `file args...` rewritten so that the process dies with iobench (see the module comment). */
export function dieWithParent(file: string, args: readonly string[]): { file: string; args: string[] } {
  const words = parentDeathPrefix();
  return words ? { file: words[0]!, args: [...words.slice(1), file, ...args] } : { file, args: [...args] };
}
