// Public surface of the live-socket feature, for the CLI, the language server and the view.
export { runSocketsCommand, type SocketsIo } from './cli';
export { parseSocketsArgs, USAGE, type SocketsArgs } from './args';
export { collectSockets, UnsupportedPlatformError, LINUX_DEFAULT_RANGE, IANA_DYNAMIC_RANGE } from './collect';
export { attachCode } from './correlate';
export { formatText, CLOSE_WAIT_HINT } from './format';
export { classify, groupServices, listeningPorts, serviceKey } from './group';
export { parseSocketTable } from './netstat';
export { parsePortRange, parseProcNetTcp } from './procNet';
export { findSocketOwners } from './procOwners';
export { buildReport, type BuiltReport, type SocketFilters } from './report';
export { normaliseState, stateFromProcCode } from './states';
export { nodeSystem, type SystemAccess } from './system';
export * from './types';
