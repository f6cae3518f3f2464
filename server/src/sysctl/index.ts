// Pure helpers for sysctl.conf and /etc/sysctl.d/*.conf, for the language server.
export { parseSysctl, parseLine, normaliseKey, type SysctlEntry, type ParsedSysctl, type SysctlSyntaxProblem } from './parse';
export { hoverAt } from './hover';
export { sysctlDiagnostics, parsePortList, type SysctlDiagnostic, type ListeningPortSite, type SysctlCheckOptions } from './diagnostics';
export { KEY_DOCS, KERNEL_DOC_HTML, KERNEL_DOC_TXT, keyMarkdown, type KeyDoc } from './keys';
