/**
 * `@iobench/core/thread`: thread control, one seam for every loop and generator thread — the
 * ready/start/stop/result/failed/close protocol, waiting on it, and the stop flag + eventfd. Loop
 * threads import it: it loads nothing beyond these files (never core's barrel, nor native code).
 */
export {
  type FailedMessage,
  isThreadMessage,
  type ParentToThread,
  type ReadyMessage,
  type ResultMessage,
  type ThreadError,
  type ThreadMessage,
  type ThreadMessageType,
  type ThreadToParent,
  threadErrorToError,
  threadMessage,
} from './messages.js';
export { type EventfdCalls, StopController, type StopSignal, stopRequested } from './stop-signal.js';
export { type ThreadWaitOptions, waitForReady, waitForResult, waitForThreadMessage } from './wait.js';
