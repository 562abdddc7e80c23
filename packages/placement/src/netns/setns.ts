/**
 * setns(2) from the syscall addon, loaded on first use: placement loads without the addon (other
 * platforms, `--target` runs, a checkout whose addon is not built), and only `--netns` needs it.
 */
import type * as Syscalls from '@iobench/syscalls';

/** The part of the syscall layer `--netns` uses. */
type NamespaceCalls = Pick<typeof Syscalls, 'setns' | 'constants'>;

let calls: Promise<NamespaceCalls> | undefined;

/** The addon's setns and CLONE_NEWNET. */
export function loadNamespaceCalls(): Promise<NamespaceCalls> {
  calls ??= import('@iobench/syscalls');
  return calls;
}
