/**
 * `@iobench/core/testing`: the conformance kits for server and load plugin authors, the raw HTTP
 * helpers and tiny test servers they are built from. See the "Testing a plugin" sections of
 * packages/core/README.md.
 */

export { siblingModule, spawnModuleWorker } from '../plugin/module-worker.js';
export { type ChildServer, type ChildServerOptions, startChildServer } from './child-server.js';
export { type EchoServer, echoServer, headerOf, type RecordedRequest } from './echo-server.js';
export { type FdLimitOutcome, fdLimitSkip, floodUnderFdLimit } from './fd-limit.js';
export {
  type HostileKind,
  type HostileServer,
  type HostileServerOptions,
  hostileKinds,
  hostileServer,
} from './hostile-servers.js';
export * from './http-test-servers.js';
export { ipv6LoopbackUnavailable } from './ipv6.js';
export {
  type LoadCheckName,
  type LoadConformanceOptions,
  loadConformanceChecks,
  runLoadConformance,
} from './load-plugin-conformance.js';
export {
  checkHostileKind,
  type HostileConformanceOptions,
  type HostileDeviation,
  type HostileExpectation,
  hostileDeviations,
  hostileExpectations,
  runHostileConformance,
} from './load-plugin-hostile-checks.js';
export { md1MeanLatencyUs, md1MeanWaitUs, saturationRate } from './queueing-theory.js';
export {
  type CloseKind,
  getRequest,
  type ParsedResponses,
  parseHttpResponses,
  RawConnection,
  type RawResponse,
  rawRequest,
} from './raw-http.js';
export { requireTool } from './require-tool.js';
export {
  type CapacitySearchSpec,
  FIXTURE_TIME,
  makeCapacityResults,
  makePoint,
  makeResults,
  makeServerStats,
  type PointSpec,
  type ResultsSpec,
} from './results-factory.js';
export {
  type CheckName,
  type ConformanceOptions,
  conformanceChecks,
  runServerConformance,
} from './server-conformance.js';
export { eventually, type StartedServer, startServerPlugin } from './start-server.js';
export { parseStraceSummary, straceServer, straceUnavailable } from './strace.js';
export { testOutputDir, testTempDir } from './temp-dir.js';
export { type SelfSignedCertificate, selfSignedCertificate } from './tls.js';
