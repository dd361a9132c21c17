import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * `npm run dev`: Vite serves the console with hot reload and, from this plugin, runs the gateway
 * under `tsx watch` (restarted on server file changes) as its child, so one Ctrl+C stops both.
 * A shell `a & b` would leave the gateway running: background jobs of a script ignore SIGINT.
 */
export function devGateway(): Plugin {
  let child: ChildProcess | undefined;
  const stop = () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    child = undefined;
  };
  return {
    name: 'bizosaas-dev-gateway',
    apply: 'serve',
    configureServer(server) {
      const repo = path.resolve(server.config.root, '..');
      child = spawn(path.join(repo, 'node_modules', '.bin', 'tsx'), ['watch', 'bin/cli.ts', 'start'], {
        cwd: repo,
        stdio: 'inherit',
      });
      child.on('exit', (code, signal) => {
        if (code !== null && code !== 0) server.config.logger.error(`gateway exited with code ${code}`);
        else if (signal && signal !== 'SIGTERM') server.config.logger.warn(`gateway stopped (${signal})`);
      });
      server.httpServer?.once('close', stop);
      process.once('exit', stop);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          stop();
          process.exit(0);
        });
      }
    },
  };
}
