import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Running the `bizosaas` command as an operator would: a real process per command. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'bizosaas.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The inherited environment without anything that would point the command elsewhere. */
export function cleanEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('BIZOSAAS_') || name === 'DATABASE_URL' || name === 'PORT' || name === 'HOST')
      delete env[name];
  }
  return { ...env, BIZOSAAS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...extra };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs one command to completion. */
export function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bizosaas ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Server {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<Server>();

/** `bizosaas start` with PORT=0; resolves once it prints the URL it listens on. */
export function startServer(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['start'], { ...env, PORT: '0' });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.on('close', (code, signal) => done({ code, signal }));
    });
    const server: Server = {
      child,
      url: '',
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const result = await exited;
        running.delete(server);
        return result;
      },
    };
    running.add(server);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bizosaas start did not come up in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /BizOSaaS is running at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] && !server.url) {
        clearTimeout(timer);
        server.url = match[1];
        resolve(server);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!server.url)
        reject(new Error(`bizosaas start exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
}

export async function killAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
}

export function tempDataDir(dirs: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-cli-'));
  dirs.push(dir);
  return dir;
}
