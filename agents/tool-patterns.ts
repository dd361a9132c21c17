/** Whether a tool name matches an allow-list pattern: exact, or `prefix*`, or `*` for everything. */
export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

export function allowedBy(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(name, p));
}
