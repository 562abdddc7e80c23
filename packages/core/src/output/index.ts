export { writeFileAtomic } from './atomic-file.js';
export {
  DEFAULT_OUT_BASE,
  describeFsError,
  makeDirectories,
  type PrepareOutDirOptions,
  prepareOutDir,
} from './out-dir.js';
