/**
 * Names of the namespaces and links a run creates. Namespace names carry the pid of the iobench
 * process that made them, so a later run can tell stale ones (their process is gone) from those of
 * a run still going, and remove only the former.
 */
import { kill } from 'node:process';
import { ip, listNamespaces } from './ip-command.js';

/** veth ends, named like the original experiment's swissknife0/swissknife1: iob0 on the server side, iob1 on the load side. */
export const SERVER_INTERFACE = 'iob0';
export const LOAD_INTERFACE = 'iob1';

const OWN_NAME = /^iob-(srv|load)-(\d+)$/;

export function namespaceNames(pid = process.pid): { server: string; load: string } {
  return { server: `iob-srv-${pid}`, load: `iob-load-${pid}` };
}

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces left by iobench runs whose process no longer exists; returns their names. */
export async function removeStaleNamespaces(): Promise<string[]> {
  const stale = (await listNamespaces()).filter((name) => {
    const match = OWN_NAME.exec(name);
    return match !== null && Number(match[2]) !== process.pid && !alive(Number(match[2]));
  });
  for (const name of stale) await ip(['netns', 'delete', name]);
  return stale;
}
