/**
 * `--netns`: a server namespace and a load namespace joined by a veth pair (`iob0` on the server
 * side, `iob1` on the load side), so that traffic crosses an interface instead of loopback — the
 * original experiment's swissknife0/swissknife1 setup. IPv6 link-local addresses with their `%iface`
 * scope by default (`fe80::1%iob0` <- `fe80::2%iob1`), or an IPv4 /30 (10.77.0.1 <- 10.77.0.2).
 *
 * How processes get in: the orchestrator's main thread enters a namespace with setns(2) and comes
 * back. A socket, thread or child process belongs to the namespace of the thread that creates it,
 * so the server host is forked while the main thread is in the server namespace (synchronously, so
 * nothing else runs meanwhile), and the whole load side (warm-up and measured load, the load
 * plugin's worker threads, wrk child processes) runs while it is in the load namespace; already
 * open descriptors (the hosts' IPC channels, stdout, files) keep working wherever they were opened.
 *
 * Cleanup: `destroy()` at the end of the run; a synchronous `exit` handler (second Ctrl-C,
 * `process.exit`); fatal signals when nobody else handles them; and namespaces of dead iobench
 * processes removed by the next run. Deleting a namespace deletes the veth pair with it.
 */
import { closeSync, openSync } from 'node:fs';
import type { NetworkPlacement } from '@iobench/core';
import type { NetnsFamily, PlacedNetwork } from '@iobench/engine/run';
import type * as Syscalls from '@iobench/syscalls';
import createDebug from 'debug';
import { ip, ipSync } from './ip-command.js';
import { LOAD_INTERFACE, namespaceNames, removeStaleNamespaces, SERVER_INTERFACE } from './namespace-names.js';

const debug = createDebug('iobench:netns');

const ADDRESSES: Record<NetnsFamily, { server: string; load: string; prefix: number }> = {
  ipv6: { server: 'fe80::1', load: 'fe80::2', prefix: 64 },
  ipv4: { server: '10.77.0.1', load: '10.77.0.2', prefix: 30 },
};
/** The address servers listen on in the server namespace (with its `%iob0` scope for IPv6). */
export function serverAddressFor(family: NetnsFamily): string {
  return family === 'ipv6' ? `${ADDRESSES.ipv6.server}%${SERVER_INTERFACE}` : ADDRESSES.ipv4.server;
}

const FATAL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class NetnsPlacement implements PlacedNetwork {
  private destroyed = false;
  private readonly onExit = () => this.destroySync();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.destroySync();
    process.kill(process.pid, signal);
  };
  private readonly signalHandlers: NodeJS.Signals[] = [];

  private constructor(
    readonly description: NetworkPlacement,
    private readonly fds: { home: number; server: number; load: number },
    private readonly setns: (fd: number) => void,
  ) {
    process.once('exit', this.onExit);
    // Where the embedding program (the CLI) handles a signal itself, it ends the run and `destroy`
    // runs; otherwise the signal would kill the process before any cleanup.
    for (const signal of FATAL_SIGNALS) {
      if (process.listenerCount(signal) === 0) {
        process.once(signal, this.onSignal);
        this.signalHandlers.push(signal);
      }
    }
  }

  /** Removes stale namespaces, creates both namespaces and the veth pair, and waits until they carry traffic. */
  static async create(family: NetnsFamily): Promise<NetnsPlacement> {
    const stale = await removeStaleNamespaces();
    if (stale.length > 0) debug('removed stale namespaces %o', stale);
    const names = namespaceNames();
    const addr = ADDRESSES[family];
    const calls = await loadNamespaceCalls();
    const created: string[] = [];
    try {
      for (const name of [names.server, names.load]) {
        await ip(['netns', 'add', name]);
        created.push(name);
      }
      await ip([
        'link',
        'add',
        SERVER_INTERFACE,
        'netns',
        names.server,
        'type',
        'veth',
        'peer',
        'name',
        LOAD_INTERFACE,
        'netns',
        names.load,
      ]);
      for (const [ns, iface, address] of [
        [names.server, SERVER_INTERFACE, addr.server],
        [names.load, LOAD_INTERFACE, addr.load],
      ] as const) {
        // Duplicate address detection would hold a new IPv6 address "tentative" (unusable) for
        // about a second; on a private two-ended link there is nothing to detect.
        if (family === 'ipv6') await ip(['-n', ns, 'addr', 'add', `${address}/${addr.prefix}`, 'dev', iface, 'nodad']);
        else await ip(['-n', ns, 'addr', 'add', `${address}/${addr.prefix}`, 'dev', iface]);
        // No kernel-generated (EUI-64) address beside ours: it would go through DAD and be tentative.
        if (family === 'ipv6') await ip(['-n', ns, 'link', 'set', iface, 'addrgenmode', 'none']);
        await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
        await ip(['-n', ns, 'link', 'set', iface, 'up']);
      }
      await waitUntilUsable(names.server, SERVER_INTERFACE, family);
      await waitUntilUsable(names.load, LOAD_INTERFACE, family);
    } catch (error) {
      for (const name of created) ipSync(['netns', 'delete', name]);
      throw error;
    }
    const scoped = (address: string, iface: string) => (family === 'ipv6' ? `${address}%${iface}` : address);
    const description: NetworkPlacement = {
      family,
      serverNamespace: names.server,
      loadNamespace: names.load,
      serverInterface: SERVER_INTERFACE,
      serverAddress: scoped(addr.server, SERVER_INTERFACE),
      loadInterface: LOAD_INTERFACE,
      loadAddress: scoped(addr.load, LOAD_INTERFACE),
    };
    const fds = {
      home: openSync('/proc/thread-self/ns/net', 'r'),
      server: openSync(`/run/netns/${names.server}`, 'r'),
      load: openSync(`/run/netns/${names.load}`, 'r'),
    };
    debug('created %o', description);
    return new NetnsPlacement(description, fds, (fd) => calls.setns(fd, calls.constants.CLONE_NEWNET));
  }

  /** The host option servers listen on: the server end's address (with `%iob0` for IPv6). */
  get serverHost(): string {
    return this.description.serverAddress;
  }

  /**
   * The URL the load generator uses for a server listening at `serverUrl`: the same address and
   * port, scoped to the load side's interface. The scope is written as `%iob1`, unescaped, which is
   * the form wrk and getaddrinfo take (WHATWG URL parsers take no zone in either form).
   */
  loadUrl(serverUrl: string): string {
    const port = /:(\d+)\/?$/.exec(serverUrl)?.[1];
    if (!port) throw new Error(`expected a server URL ending in :<port>/, received ${serverUrl}`);
    const address =
      this.description.family === 'ipv6' ? `[${ADDRESSES.ipv6.server}%${LOAD_INTERFACE}]` : ADDRESSES.ipv4.server;
    return `http://${address}:${port}/`;
  }

  /** Runs `fn` (synchronous: e.g. a fork) with the calling thread in the server namespace. */
  inServerNamespace<T>(fn: () => T): T {
    this.setns(this.fds.server);
    try {
      return fn();
    } finally {
      this.setns(this.fds.home);
    }
  }

  /**
   * Runs `fn` with the main thread in the load namespace until its promise settles. Nothing else
   * may open sockets or spawn processes meanwhile (the orchestrator only waits for the load).
   */
  async inLoadNamespace<T>(fn: () => Promise<T>): Promise<T> {
    this.setns(this.fds.load);
    try {
      return await fn();
    } finally {
      this.setns(this.fds.home);
    }
  }

  /** Deletes both namespaces (and with them the veth pair). Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.release();
    for (const name of [this.description.serverNamespace, this.description.loadNamespace])
      await ip(['netns', 'delete', name]).catch(() => ipSync(['netns', 'delete', name]));
    debug('deleted %s and %s', this.description.serverNamespace, this.description.loadNamespace);
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.release();
    ipSync(['netns', 'delete', this.description.serverNamespace]);
    ipSync(['netns', 'delete', this.description.loadNamespace]);
  }

  private release(): void {
    process.off('exit', this.onExit);
    for (const signal of this.signalHandlers) process.off(signal, this.onSignal);
    for (const fd of Object.values(this.fds)) closeSync(fd);
  }
}

/** Waits until the interface is up with a usable (non-tentative) address: at most about 3 s. */
async function waitUntilUsable(ns: string, iface: string, family: NetnsFamily): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const out = await ip(['-n', ns, family === 'ipv6' ? '-6' : '-4', 'addr', 'show', 'dev', iface]);
    if (/state UP|LOWER_UP/.test(out) && /inet6? /.test(out) && !/tentative/.test(out)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`interface ${iface} in namespace ${ns} did not come up with a usable address within 3 s`);
}

// setns(2) from the syscall addon, loaded on first use: placement loads without the addon (other
// platforms, `--target` runs, a checkout whose addon is not built), and only `--netns` needs it.
/** The part of the syscall layer `--netns` uses. */
type NamespaceCalls = Pick<typeof Syscalls, 'setns' | 'constants'>;

let calls: Promise<NamespaceCalls> | undefined;

/** The addon's setns and CLONE_NEWNET. */
function loadNamespaceCalls(): Promise<NamespaceCalls> {
  calls ??= import('@iobench/syscalls');
  return calls;
}
