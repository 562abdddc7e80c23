#!/usr/bin/env node
// Where a server's (or generator's) CPU goes, from a folded perf profile (`iobench run --profile
// perf` writes one per point under <out>/profiles/): each sample goes to the first category, in the
// order below, that any kernel frame of its stack matches; samples with no kernel frame are user code.
// Issue 22's "what bounds a request": on loopback the TCP path (send, receive, the softirq delivering
// the peer's packets, netfilter) against the readiness mechanism and syscall entry.
// Usage: node bin/iobench run --server epoll,io-uring --connections 1000 --duration 5s --profile perf
//          --server-cpus 0 --load-cpus 1 --out /tmp/split --force
//        node benchmarks/kernel-split.mjs /tmp/split/profiles/*.folded
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const CATEGORIES = [
  ['netfilter', /^(nf_|nft_|ipt_|ip_tables|conntrack|__nf_)/],
  [
    'loopback rx (softirq)',
    /^(net_rx_action|__netif_receive_skb|process_backlog|ip_rcv|ip_local_deliver|tcp_v4_rcv|tcp_v6_rcv|do_softirq|__do_softirq|handle_softirqs)/,
  ],
  [
    'tcp send',
    /^(tcp_sendmsg|tcp_write_xmit|__tcp_transmit_skb|ip_queue_xmit|__dev_queue_xmit|loopback_xmit|sock_sendmsg|__sys_sendto|__x64_sys_sendto|io_send|io_sendmsg)/,
  ],
  [
    'tcp recv',
    /^(tcp_recvmsg|tcp_recvmsg_locked|sock_recvmsg|__sys_recvfrom|__x64_sys_recvfrom|io_recv|skb_copy_datagram|tcp_rcv_space|tcp_cleanup_rbuf)/,
  ],
  ['epoll', /^(ep_|do_epoll|__x64_sys_epoll)/],
  ['io_uring', /^(io_|__io_|__x64_sys_io_uring|tctx_task_work)/],
  ['accept/close', /^(__sys_accept|do_accept|__x64_sys_accept|__x64_sys_close|tcp_close|inet_accept)/],
  ['syscall entry/exit', /^(entry_SYSCALL|syscall_exit|do_syscall_64|syscall_return|__x64_sys|exit_to_user)/],
  ['scheduler', /^(schedule|__schedule|pick_next|finish_task_switch|try_to_wake_up)/],
];

function categoryOf(stack) {
  const kernel = stack
    .split(';')
    .filter((f) => f.endsWith('_[k]'))
    .map((f) => f.slice(0, -4));
  if (kernel.length === 0) return 'user';
  for (const [name, pattern] of CATEGORIES) if (kernel.some((f) => pattern.test(f))) return name;
  return 'other kernel';
}

for (const path of process.argv.slice(2)) {
  const totals = new Map();
  let samples = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const at = line.lastIndexOf(' ');
    if (at < 0) continue;
    const count = Number(line.slice(at + 1));
    samples += count;
    const category = categoryOf(line.slice(0, at));
    totals.set(category, (totals.get(category) ?? 0) + count);
  }
  console.log(`${basename(path)}: ${samples} samples`);
  for (const [name, n] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${name.padEnd(24)} ${((100 * n) / samples).toFixed(1).padStart(5)}%`);
  }
}
