# syntax=docker/dockerfile:1
# The iobench image: built with node-gyp on the full Node 20 image, run on the slim one with wrk and
# perf from Debian, as a non-root user, with `iobench` as the entrypoint.
#
#   docker build -t iobench:0.1.0 .
#   docker run --rm iobench:0.1.0 doctor
#   docker run --rm --network host iobench:0.1.0 run --target http://127.0.0.1:8080/ --duration 5s
#
# deploy/kubernetes/ runs it as a server Deployment and an Indexed Job of load shards
# (docs/distributed.md).

FROM node:20-bookworm AS build
# node-gyp builds the syscall addon (@iobench/syscalls); the image's Node headers are used, so
# nothing is downloaded but npm packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY . .
# `npm ci` builds every package (the root "prepare": node-gyp, then tsc); then the dev tools go.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS run
# wrk for `--load wrk`, perf for `--profile perf` (which also needs the host's
# kernel.perf_event_paranoid and, in a container, CAP_PERFMON or a privileged pod).
RUN apt-get update \
 && apt-get install -y --no-install-recommends wrk linux-perf \
 && rm -rf /var/lib/apt/lists/*
# A numeric user, so that Kubernetes can check `runAsNonRoot` (deploy/kubernetes runs it as 10001).
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin iobench
COPY --from=build /app /app
RUN ln -s /app/bin/iobench /usr/local/bin/iobench
USER 10001:10001
# Results (the default `iobench-results/<timestamp>`) go under the user's own directory.
WORKDIR /home/iobench
ENTRYPOINT ["iobench"]
CMD ["--help"]
