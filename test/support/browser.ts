import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createOfflineModel } from '../../agents/models/offline/index.ts';
import { buildConsole } from '../../gateway/http/routes/console.ts';

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/console/', import.meta.url));

export const chromiumInstalled = () => fs.existsSync(CHROMIUM);

let built: Promise<void> | undefined;
/** `vite build` of the console into web/dist, once per test run, so the tests see the current sources. */
export function buildConsoleOnce(): Promise<void> {
  built ??= buildConsole({ quiet: true });
  return built;
}

/**
 * Headless Chromium with a fresh profile (user data directory), none of its background traffic,
 * and a desktop-sized window. Tests clear cookies between scenarios instead of new contexts.
 */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Evaluates an expression in the page (a string: the tests are not compiled with the DOM's types). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Saves a full-window screenshot as test/artifacts/console/<name>.png for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  // Let transitions and the notice area settle, so pictures show the resting state.
  await page.waitForTimeout(150);
  await page.screenshot({ path: file });
  return file;
}

/** Signs in through the sign-in page; resolves when the console shows the person's name. */
export async function signInAs(page: Page, baseUrl: string, email: string, password: string, name: string) {
  await page.goto(`${baseUrl}/chat`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.user-menu-name', { hasText: name }).waitFor({ state: 'attached' });
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

function lastUserText(prompt: LanguageModelV3Prompt): string {
  const user = [...prompt].reverse().find((m) => m.role === 'user');
  if (!user || typeof user.content === 'string') return '';
  return user.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ');
}

/** What the stand-in model does with a request: the tool call a command names, or a reply. */
function turnFor(prompt: LanguageModelV3Prompt): { tool: string; args: object } | { text: string } {
  if (prompt.at(-1)?.role === 'tool') return { text: 'Done. The results are above.' };
  const text = lastUserText(prompt);
  const email = text.match(/[\w.+-]+@[\w.-]+\.\w+/)?.[0];
  if (/partners/i.test(text)) return { tool: 'users_list', args: { role: 'partner' } };
  if (/revoke|sign .* out/i.test(text) && email)
    return { tool: 'users_revoke_sessions', args: { user: email } };
  if (/activity|timeline|what did/i.test(text) && email)
    return { tool: 'audit_user_timeline', args: { user: email } };
  if (/show|who is/i.test(text) && email) return { tool: 'users_get', args: { user: email } };
  return { text: 'I can list people, show one, and revoke sessions. Try “list all partners”.' };
}

/**
 * A stand-in language model for the console tests: it routes a command to the tool it names
 * (as the offline model does) and answers in streamed text once the tool ran.
 */
export function routingModel(): LanguageModelV3 {
  let calls = 0;
  const parts = (prompt: LanguageModelV3Prompt): LanguageModelV3StreamPart[] => {
    const turn = turnFor(prompt);
    calls++;
    const body: LanguageModelV3StreamPart[] =
      'tool' in turn
        ? [
            {
              type: 'tool-call',
              toolCallId: `call_${calls}`,
              toolName: turn.tool,
              input: JSON.stringify(turn.args),
            },
          ]
        : [
            { type: 'text-start', id: 't' },
            ...turn.text.split(/(?<= )/).map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
            { type: 'text-end', id: 't' },
          ];
    const finishReason = {
      unified: 'tool' in turn ? ('tool-calls' as const) : ('stop' as const),
      raw: undefined,
    };
    return [{ type: 'stream-start', warnings: [] }, ...body, { type: 'finish', finishReason, usage }];
  };
  return new MockLanguageModelV3({
    doStream: async ({ prompt }) => ({
      stream: simulateReadableStream({ chunks: parts(prompt), chunkDelayInMs: 15 }),
    }),
  });
}

/**
 * The model the console tests chat with: the offline command model when it is built, otherwise
 * the routing stand-in (same tool calls for the commands these tests type).
 */
export function consoleChatModel(): {
  model: LanguageModelV3 | undefined;
  label: 'offline' | 'routing stand-in';
} {
  try {
    createOfflineModel();
    return { model: undefined, label: 'offline' };
  } catch {
    return { model: routingModel(), label: 'routing stand-in' };
  }
}
