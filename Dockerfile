# The iobench image: built with node-gyp on the full Node 20 image (it has g++, make and python3),
# run on the slim one with wrk and perf from Debian, as a non-root user, with `iobench` as the
# entrypoint. No BuildKit frontend is named, so the build needs no image but these two.
#
#   docker build -t iobench:0.1.0 .
#   docker run --rm iobench:0.1.0 doctor
#   docker run --rm --network host -v "$PWD/results:/results" --user "$(id -u):$(id -g)" \
#     iobench:0.1.0 run --target http://127.0.0.1:8080/ --duration 5s --out /results/run1
#
# docs/distributed.md: what to mount, io_uring and seccomp, Kubernetes (`iobench kube run`).

# Every package.json and the lockfile, nothing else: the install layers below are reused until
# a manifest changes, whatever else does.
FROM node:20-bookworm AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

FROM node:20-bookworm AS build
# node-gyp builds the syscall addon against the image's Node headers: nothing is downloaded but npm packages.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY --from=manifests /app ./
# Dependencies only; the packages' own scripts (the root "prepare", node-gyp) run once the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
# What the image runs: @iobench/cli and the workspaces it needs, production dependencies only
# (no benchmarks, no dev tools), resolved from the lockfile into /out; type declarations, source
# maps and docs go (typescript keeps its own: cosmiconfig compiles iobench.config.ts with it).
WORKDIR /out
COPY --from=manifests /app ./
RUN npm ci --ignore-scripts --omit=dev --workspace @iobench/cli --prefer-offline --no-audit --no-fund
WORKDIR /app
COPY . .
RUN npm run build \
 && cp -a --parents bin packages/*/dist packages/engine/iobench.schema.json \
      packages/syscalls/build/Release/iobench_syscalls.node /out/ \
 && rm -rf /out/benchmarks /out/examples /out/packages/*/dist/*.tsbuildinfo \
 && find /out \( -name '*.map' -o -name '*.md' \) -type f -delete \
 && find /out \( -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' \) -type f ! -path '*/node_modules/typescript/*' -delete

FROM node:20-bookworm-slim AS run
# wrk for `--load wrk`, perf for `--profile perf` (which also needs the host's
# kernel.perf_event_paranoid and, in a container, CAP_PERFMON or a privileged pod).
RUN apt-get update \
 && apt-get install -y --no-install-recommends wrk linux-perf \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log
# A numeric user, so that Kubernetes can check `runAsNonRoot` (deploy/kubernetes runs it as 10001).
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin iobench \
 && ln -s /app/bin/iobench /usr/local/bin/iobench
COPY --from=build /out /app
USER 10001:10001
# Results (the default `iobench-results/<timestamp>`) go under the user's own directory; mount a
# directory at /results and pass `--out /results/...` to keep them (docs/distributed.md).
WORKDIR /home/iobench
ENTRYPOINT ["iobench"]
CMD ["--help"]
