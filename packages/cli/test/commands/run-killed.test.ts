// Nothing iobench starts outlives a SIGKILLed run: issue 10, item 8.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { requireTool } from '@iobench/core/testing';
import { FIXTURES, iobench, projectWith, tempDir } from '../helpers.js';

interface Proc {
  pid: number;
  comm: string;
  argv: string[];
}

/** The live children of `ppid` (zombies count as gone: nothing may reap them once re-parented). */
function childrenOf(ppid: number): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== ppid || state === 'Z') continue;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      found.push({ pid: Number(entry), comm, argv });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** True while `pid` runs (not gone, not a zombie). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * SIGKILLs the run, waits up to 3 s for every pid to be gone, and returns those still running
 * (killed then, so that the test leaves nothing either: they hold the run's output pipes open).
 */
async function killRun(run: ReturnType<typeof iobench>, pids: number[]): Promise<number[]> {
  const exited = once(run.child, 'exit');
  run.child.kill('SIGKILL');
  await exited;
  for (let i = 0; i < 30 && pids.some(running); i++) await new Promise((r) => setTimeout(r, 100));
  const left = pids.filter(running);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  await run;
  return left;
}

const isServerHost = (p: Proc) => p.argv.some((a) => /server-host\.[jt]s$/.test(a));

describe('a SIGKILLed iobench run leaves nothing behind', () => {
  test('--load wrk: wrk and the server host die with it; the next run removes wrk’s directory', {
    skip: requireTool('wrk'),
  }, async () => {
    const run = iobench([
      'run',
      '--server',
      'epoll',
      '--load',
      'wrk',
      '--duration',
      '20s',
      '--warmup',
      '0',
      '--connections',
      '2',
      '--out',
      await tempDir(),
    ]);
    const pid = run.child.pid!;
    // The load's wrk, not the `wrk -v` the run starts to record tool versions before any server.
    const wrk = await waitFor('wrk to run', () =>
      childrenOf(pid).find((p) => p.comm === 'wrk' && p.argv.includes('--connections')),
    );
    const host = childrenOf(pid).find(isServerHost);
    assert.ok(host, 'the server host runs');
    const script = wrk.argv[wrk.argv.indexOf('--script') + 1]!;
    const wrkDir = dirname(script);
    assert.ok(existsSync(script), `wrk's script ${script}`);

    assert.deepEqual(await killRun(run, [wrk.pid, host.pid]), [], 'no wrk and no server host outlive the run');

    const next = await iobench([
      'run',
      '--server',
      'epoll',
      '--load',
      'wrk',
      '--duration',
      '300ms',
      '--warmup',
      '0',
      '--connections',
      '2',
      '--out',
      await tempDir(),
    ]);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(existsSync(wrkDir), false, `${wrkDir} of the killed run is removed by the next one`);
  });

  test('default load: a server host whose stop() hangs dies with it', async () => {
    const cwd = await projectWith({
      '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'stuck-plugins.mjs'))}]\n`,
    });
    const run = iobench(
      [
        'run',
        '--server',
        'stuck',
        '--duration',
        '20s',
        '--warmup',
        '0',
        '--connections',
        '2',
        '--out',
        await tempDir(),
      ],
      { cwd },
    );
    const pid = run.child.pid!;
    const host = await waitFor('the server host', () => childrenOf(pid).find(isServerHost));
    // Let the load start: the host is serving when the run dies.
    await new Promise((r) => setTimeout(r, 1000));

    assert.deepEqual(await killRun(run, [host.pid]), [], 'the server host does not outlive the run');
  });
});
