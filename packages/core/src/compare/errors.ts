/** Errors of `compare` and `merge`: results files that do not fit together, and failed regression gates. */
import { IobenchError, type IobenchErrorOptions } from '../errors.js';

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
