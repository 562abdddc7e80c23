/**
 * setns(2) from the syscall addon, loaded on first use: core runs without the addon (other
 * platforms, `--target` runs), and only `--netns` needs it.
 */

interface NamespaceCalls {
  setns(fd: number, nstype: number): void;
  constants: { CLONE_NEWNET: number };
}

// A variable specifier: core does not build against @iobench/syscalls (no project reference); the
// interface above is the part of it used here.
const SYSCALLS_MODULE = '@iobench/syscalls';
let calls: Promise<NamespaceCalls> | undefined;

/** The addon's setns and CLONE_NEWNET. */
export function loadNamespaceCalls(): Promise<NamespaceCalls> {
  calls ??= import(SYSCALLS_MODULE) as Promise<NamespaceCalls>;
  return calls;
}
