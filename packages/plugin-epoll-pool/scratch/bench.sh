#!/bin/bash
# usage: bench.sh server 'json opts' [wrk args]
cd /work/main
node --conditions=@iobench/source --import tsx packages/plugin-epoll-pool/scratch/serve.ts "$1" "$2" > /tmp/serve.$$.log 2>&1 &
pid=$!
for i in $(seq 1 100); do grep -q ready /tmp/serve.$$.log && break; sleep 0.2; done
shift 2
wrk "${@:--t1 -c64 -d3s}" http://127.0.0.1:8099/ | grep -E "Requests/sec|Latency|requests in|errors"
kill -TERM $pid; wait $pid
cat /tmp/serve.$$.log; rm -f /tmp/serve.$$.log
