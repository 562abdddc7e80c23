import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConfigError,
  ERROR_CODES,
  InterruptedError,
  PluginError,
  PluginNotFoundError,
  PluginOptionsError,
  RegressionError,
  ResultsFileError,
  ResultsMismatchError,
  ServerError,
  TargetUnreachableError,
  ToolError,
} from './errors.js';

test('every error class carries a code from the closed catalog, each documented in one line', () => {
  const errors = [
    new ConfigError('x'),
    new PluginNotFoundError('x'),
    new PluginOptionsError('x'),
    new PluginError('p', 'start', new Error('x')),
    new ServerError('IOBENCH_SERVER_DIED', 'x'),
    new TargetUnreachableError('x'),
    new ResultsFileError('x'),
    new ResultsMismatchError('x'),
    new RegressionError('x'),
    new InterruptedError(),
    new ToolError('x'),
  ];
  for (const error of errors) assert.ok(error.code in ERROR_CODES, `${error.name}: ${error.code}`);
  for (const [code, when] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^IOBENCH_[A-Z_]+$/);
    assert.ok(when.length > 10 && !when.includes('\n'), code);
  }
});
