/**
 * @iobench/serving: what every iobench server serves, as pure functions over bytes, so that servers
 * differ only in their I/O model. No I/O here: a server feeds received bytes to a `RequestFramer` and
 * writes what a `Responder` returns, doing `performWork` per request in between.
 */
export {
  type HandlerWork,
  handlerWorkSchema,
  MAX_HANDLER_WORK_US,
  parseHandlerWork,
  performWork,
} from './handler-work.js';
export {
  type CommonServerOptions,
  commonServerOptions,
  commonServerOptionsSchema,
  loopsOption,
  serverUrl,
  timeoutCheckIntervalMs,
} from './options.js';
export {
  FRAME_ERROR_CLASS,
  type FrameError,
  type FramerLimits,
  type ParsedRequest,
  RequestFramer,
} from './request-framer.js';
export { Responder, type ResponderOptions } from './responder.js';
