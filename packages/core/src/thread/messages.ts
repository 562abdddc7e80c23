/**
 * The thread-control protocol: the only messages a loop or generator thread and the thread that
 * started it exchange. One tag (`type`); messages are plain objects, so structured clone carries them
 * as they are. Build them with `threadMessage`, recognise them with `isThreadMessage`
 * (scripts/check-threads.mjs, in `npm run lint`, fails on a `postMessage` of anything else).
 *
 * Lifecycle: the thread sets up and posts `ready` (or `failed`); the parent posts `start` once every
 * thread is ready; the thread posts `result` when its measured phase ends; the parent posts `close`
 * for the thread to release what it holds and end. `stop` ends a running phase early in a thread whose
 * event loop reads messages; a thread blocked in a syscall reads none, so it is stopped through a
 * `StopSignal` instead (stop-signal.ts).
 */

/** Posted by the thread once it is set up, with facts found at setup (e.g. kernel features used). */
export interface ReadyMessage {
  type: 'ready';
  facts: Record<string, number>;
}

/** Posted by the thread when its measured phase ended (plain data: histograms encoded). */
export interface ResultMessage<R = unknown> {
  type: 'result';
  result: R;
}

/** An error as it crosses the thread boundary. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

/** Posted by the thread when it cannot go on (setup or measured phase failed); the parent rejects its wait. */
export interface FailedMessage {
  type: 'failed';
  error: ThreadError;
}

/** What a thread posts to its parent. */
export type ThreadToParent<R = unknown> = ReadyMessage | ResultMessage<R> | FailedMessage;

/** What a parent posts to its thread: run the measured phase, end it early, release and end. */
export type ParentToThread = { type: 'start' } | { type: 'stop' } | { type: 'close' };

export type ThreadMessage = ThreadToParent | ParentToThread;

/** A message's tag. */
export type ThreadMessageType = ThreadMessage['type'];

/** The builders of every protocol message. */
export const threadMessage = {
  ready: (facts: Record<string, number> = {}): ReadyMessage => ({ type: 'ready', facts }),
  result: <R>(result: R): ResultMessage<R> => ({ type: 'result', result }),
  failed: (err: unknown): FailedMessage => ({ type: 'failed', error: toThreadError(err) }),
  start: (): ParentToThread => ({ type: 'start' }),
  stop: (): ParentToThread => ({ type: 'stop' }),
  close: (): ParentToThread => ({ type: 'close' }),
} as const;

const TYPES: ReadonlySet<unknown> = new Set(Object.keys(threadMessage));

/** True when `value` is a protocol message, of tag `type` if given. */
export function isThreadMessage<T extends ThreadMessageType = ThreadMessageType>(
  value: unknown,
  type?: T,
): value is Extract<ThreadMessage, { type: T }> {
  if (typeof value !== 'object' || value === null) return false;
  const tag = (value as { type?: unknown }).type;
  return type === undefined ? TYPES.has(tag) : tag === type;
}

/** The error a `failed` message carries, rebuilt on the parent's side (the thread's stack kept). */
export function threadErrorToError(error: ThreadError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  if (error.stack !== undefined) err.stack = error.stack;
  return err;
}

function toThreadError(err: unknown): ThreadError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}
