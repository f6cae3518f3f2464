import pkg from '../../../package.json';

/** The package version, shown by the CLI, the server and in SARIF. */
export const VERSION: string = pkg.version;
