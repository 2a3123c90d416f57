/**
 * The environment a systemd unit gives its service: its `Environment=` lines, read as systemd reads
 * them (systemd.exec(5)): space-separated assignments, each optionally in double quotes, which is how a
 * value holding spaces is written. Tests and the soak run the service with what the installed unit gives.
 */
export function unitEnvironment(unitText: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of unitText.split('\n')) {
    const setting = /^Environment=(.*)$/.exec(line.trim());
    if (setting === null) continue;
    for (const word of (setting[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
      const assignment = word[1] !== undefined ? word[1].replace(/\\(.)/g, '$1') : (word[2] ?? '');
      const equals = assignment.indexOf('=');
      if (equals > 0) env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
    }
  }
  return env;
}
