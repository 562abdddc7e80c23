export { checkNetnsPrivileges, effectiveCapabilities, missingForNetns } from './check-privileges.js';
export { listNamespaces } from './ip-command.js';
export { LOAD_INTERFACE, namespaceNames, removeStaleNamespaces, SERVER_INTERFACE } from './namespace-names.js';
export { NetnsPlacement, serverAddressFor } from './network-placement.js';
