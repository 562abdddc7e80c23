/** Plugin resolution, option validation and the common server options, for programs that run plugins. */
export {
  type CommonOptionSetting,
  declaresCommonOption,
  requireCommonOptions,
  withCommonOptions,
} from './common-options.js';
export { validatePluginOptions } from './options.js';
export { importPlugin, PluginRegistry, type ResolvedPlugin } from './resolve.js';
