/** What the run is measured on: versions, the open-file limit and how many connections it allows. */
export { captureEnvironment, IOBENCH_VERSION, openFileLimit, toolVersion } from './capture.js';
export { type OpenFilesAdvice, openFilesAdvice } from './open-files.js';
