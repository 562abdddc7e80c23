export { makeDirectories, writeFileAtomic } from '@iobench/core';
export { DEFAULT_OUT_BASE, describeFsError, type PrepareOutDirOptions, prepareOutDir } from './out-dir.js';
