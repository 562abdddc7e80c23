/**
 * The iobench error family. Every error a user can see is an `IobenchError` with a stable `code`;
 * only the CLI turns them into messages and exit codes. Messages name the thing, what was expected
 * and what was received.
 */
export interface IobenchErrorOptions {
  /** The plugin the error is blamed on, when there is one. */
  plugin?: string;
  /** Short hints a user can act on, printed under the message. */
  suggestions?: string[];
  cause?: unknown;
}

export class IobenchError extends Error {
  /** Stable machine-readable code, e.g. `IOBENCH_CONFIG_INVALID`. */
  readonly code: string;
  readonly plugin?: string;
  readonly suggestions: string[];
  /** Process exit code the CLI uses: 2 usage/config, 1 failed run, 130 interrupted. */
  readonly exitCode: number = 1;

  constructor(code: string, message: string, options: IobenchErrorOptions = {}) {
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
