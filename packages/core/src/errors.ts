/**
 * The iobench error family. Every error a user can see is an `IobenchError` with a stable `code`
 * from the closed catalog below; only the CLI turns them into messages and exit codes. Messages name
 * the thing, what was expected and what was received.
 */

/** Every code an `IobenchError` can carry, with one line saying when it is thrown. */
export const ERROR_CODES = {
  IOBENCH_CONFIG_INVALID: 'configuration (file, environment or flags) does not validate, or asks for an impossible run',
  IOBENCH_PLUGIN_NOT_FOUND: 'a plugin name or path does not resolve to a plugin of the expected kind',
  IOBENCH_PLUGIN_LOAD_FAILED: 'a plugin module was found but importing it threw',
  IOBENCH_PLUGIN_OPTIONS_INVALID: "a plugin's options do not validate against its schema",
  IOBENCH_PLUGIN_FAILED: 'a plugin hook threw (the plugin and hook are named, the error is `cause`)',
  IOBENCH_SERVER_START_FAILED: 'a server host could not start its server in time',
  IOBENCH_SERVER_DIED: 'a server host process exited while it was measured',
  IOBENCH_TARGET_UNREACHABLE: 'the benchmark target does not accept connections',
  IOBENCH_POINTS_FAILED: 'a run ended with failed points (their results are kept)',
  IOBENCH_INTERRUPTED: 'the user stopped the run (finished points are kept)',
  IOBENCH_RESULTS_INVALID: 'a results file is missing, corrupt or of an unknown schema',
  IOBENCH_RESULTS_MISMATCH: 'results files hold different plans (compare, merge)',
  IOBENCH_REGRESSION: 'compare --fail-if-slower: a matching point got slower than the threshold',
  IOBENCH_THRESHOLDS_FAILED: 'run --threshold: a measured point failed a threshold (its results are kept)',
  IOBENCH_TOOL_FAILED: 'a required external tool (wrk, perf, taskset) is missing or fails',
  IOBENCH_PROFILE_UNAVAILABLE: '--profile asks for a profiler this machine cannot run',
  IOBENCH_PROFILE_FAILED: 'a profiler failed while recording a point',
  IOBENCH_NETNS_UNAVAILABLE: '--netns lacks privileges or ip(8) here',
  IOBENCH_NETNS_FAILED: 'creating or using the network namespaces failed',
  IOBENCH_PLATFORM_UNSUPPORTED: 'this machine lacks what a plugin needs (a kernel feature such as io_uring)',
} as const;

/** The closed set of error codes. */
export type IobenchErrorCode = keyof typeof ERROR_CODES;

export interface IobenchErrorOptions {
  /** The plugin the error is blamed on, when there is one. */
  plugin?: string;
  /** Short hints a user can act on, printed under the message. */
  suggestions?: string[];
  cause?: unknown;
}

export class IobenchError extends Error {
  /** Stable machine-readable code from `ERROR_CODES`, e.g. `IOBENCH_CONFIG_INVALID`. */
  readonly code: IobenchErrorCode;
  readonly plugin?: string;
  readonly suggestions: string[];
  /** Process exit code the CLI uses: 2 usage/config, 1 failed run, 130 interrupted. */
  readonly exitCode: number = 1;

  constructor(code: IobenchErrorCode, message: string, options: IobenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.plugin = options.plugin;
    this.suggestions = options.suggestions ?? [];
  }
}

/** Thrown when configuration (file, environment or flags) does not validate. */
export class ConfigError extends IobenchError {
  override readonly exitCode = 2;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_CONFIG_INVALID', message, options);
  }
}

/** Thrown when a plugin name or path cannot be resolved to a plugin of the expected kind. */
export class PluginNotFoundError extends IobenchError {
  override readonly exitCode = 2;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_PLUGIN_NOT_FOUND', message, options);
  }
}

/** Thrown when a plugin's options do not validate against its schema. */
export class PluginOptionsError extends IobenchError {
  override readonly exitCode = 2;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_PLUGIN_OPTIONS_INVALID', message, options);
  }
}

/** Wraps anything a plugin hook threw, naming the plugin and the hook; the original is `cause`. */
export class PluginError extends IobenchError {
  readonly hook: string;
  /** A plugin's own configuration errors keep their exit code (2); anything else is a failed run. */
  override readonly exitCode: number;
  constructor(plugin: string, hook: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('IOBENCH_PLUGIN_FAILED', `plugin "${plugin}" failed in ${hook}(): ${reason}`, {
      plugin,
      cause,
      suggestions: cause instanceof IobenchError ? cause.suggestions : [],
    });
    this.hook = hook;
    this.exitCode = cause instanceof IobenchError ? cause.exitCode : 1;
  }
}

/** Thrown when a server host process could not start its server or died. */
export class ServerError extends IobenchError {
  constructor(
    code: 'IOBENCH_SERVER_START_FAILED' | 'IOBENCH_SERVER_DIED',
    message: string,
    options?: IobenchErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** Thrown when the benchmark target does not accept connections. */
export class TargetUnreachableError extends IobenchError {
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_TARGET_UNREACHABLE', message, options);
  }
}

/** Thrown when a results file cannot be read back (missing, corrupt or of an unknown schema). */
export class ResultsFileError extends IobenchError {
  override readonly exitCode = 2;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_RESULTS_INVALID', message, options);
  }
}

/** Thrown when a run is stopped by the user (Ctrl-C). Finished points are kept. */
export class InterruptedError extends IobenchError {
  override readonly exitCode = 130;
  constructor(message = 'run interrupted') {
    super('IOBENCH_INTERRUPTED', message);
  }
}

/** Thrown when a required external tool (wrk, perf, taskset) is missing or fails. */
export class ToolError extends IobenchError {
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_TOOL_FAILED', message, options);
  }
}

/** Thrown when results files hold different plans: compare finds no matching point, merge finds any difference. */
export class ResultsMismatchError extends IobenchError {
  override readonly exitCode = 2;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_RESULTS_MISMATCH', message, options);
  }
}

/** Thrown by `compare --fail-if-slower` when a matching point got slower than the threshold allows. */
export class RegressionError extends IobenchError {
  override readonly exitCode = 1;
  constructor(message: string, options?: IobenchErrorOptions) {
    super('IOBENCH_REGRESSION', message, options);
  }
}
