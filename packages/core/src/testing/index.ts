/**
 * `@iobench/core/testing`: the conformance kit for server plugin authors, and the raw HTTP helpers it
 * is built from. See the "Testing a server plugin" section of packages/core/README.md.
 */
export { type CheckName, type ConformanceOptions, conformanceChecks, runServerConformance } from './conformance.js';
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
export { eventually, type StartedServer, startServerPlugin } from './start-server.js';
