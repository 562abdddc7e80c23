/** Messages on the control channel between core and a server host process (Node IPC). */
import type { ServerStats } from '@iobench/core';

export type ParentToHost =
  | { type: 'start'; moduleUrl: string; plugin: string; options: Record<string, unknown> }
  | { type: 'stats'; id: number }
  | { type: 'stop' };

/** Process-wide resource usage of the host (getrusage RUSAGE_SELF: every thread, live or exited). */
export interface HostUsage {
  userCpuUs: number;
  systemCpuUs: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
}

export type HostToParent =
  | { type: 'ready'; url: string }
  | { type: 'stats'; id: number; stats: ServerStats; usage: HostUsage }
  | { type: 'stopped' }
  | { type: 'error'; phase: 'start' | 'stats' | 'stop' | 'crash'; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      stack: error.stack,
    };
  }
  return { name: 'Error', message: String(error) };
}
