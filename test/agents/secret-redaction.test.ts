import type { UIMessage } from 'ai';
import { expect } from 'chai';
import { redactMessages } from '../../agents/redact-secrets.ts';
import { messages, taskRuns } from '../../servers/agents/schema.ts';
import { sendChat, userMessage } from '../support/chat.ts';
import { httpClient } from '../support/http.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { DEMO_PASSWORD, startWorld } from '../support/world.ts';

const NINA = 'nina@northwind.test';
const SECRET = 'hs-chat-secret-5e0c1a9d';

describe('secrets that pass through an agent turn are not kept', () => {
  it('a saved conversation and the conversation API show neither the credentials given to a tool nor the same value typed in the message', async () => {
    const script = scriptedModel([
      {
        tools: [{ name: 'registry_connect', args: { service: 'hubspot', credentials: { API_KEY: SECRET } } }],
      },
      { text: 'Connected HubSpot.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const http = httpClient(world.url);
      await http.login(NINA, DEMO_PASSWORD);
      const turn = await sendChat(http, {
        id: 'chat-connect',
        messages: [userMessage('u1', `connect HubSpot with API key ${SECRET}`)],
      });
      expect(turn.status).to.equal(200);
      const part = turn.message?.parts.find((p) => p.type === 'tool-registry_connect') as
        | { state: string }
        | undefined;
      expect(part?.state).to.equal('output-available');

      const listed = await http.get('/api/conversations');
      const one = await http.get('/api/conversations/chat-connect');
      expect(one.status).to.equal(200);
      expect(one.text).to.contain('[redacted]').and.to.contain('connect HubSpot with API key');
      const rows = await world.database.db.select().from(messages);
      for (const text of [listed.text, one.text, JSON.stringify(rows)]) expect(text).to.not.contain(SECRET);
    } finally {
      await world.close();
    }
  });

  it('a task run’s recorded tool calls do not keep credentials', async () => {
    const script = scriptedModel([
      {
        tools: [{ name: 'registry_connect', args: { service: 'hubspot', credentials: { API_KEY: SECRET } } }],
      },
      { text: 'Done.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as(NINA);
      const { task } = (await world.platform.gateway.callTool(nina, 'agents_create_task', {
        name: 'Connect HubSpot',
        instruction: 'Connect HubSpot.',
        schedule: '*/5 * * * *',
        timezone: 'UTC',
      })) as { task: { id: string; nextRunAt: string } };
      await world.platform.automation.tick(new Date(new Date(task.nextRunAt).getTime() + 1000));
      const [run] = await world.database.db.select().from(taskRuns);
      expect(run?.status).to.equal('succeeded');
      expect(JSON.stringify(run?.toolCalls)).to.contain('registry_connect').and.not.contain(SECRET);
    } finally {
      await world.close();
    }
  });

  it('keeps the input of a call still waiting for approval (approving runs it), and redacts it once settled', () => {
    const message = (state: string): UIMessage =>
      ({
        id: 'a1',
        role: 'assistant',
        parts: [
          {
            type: 'tool-users_change_password',
            toolCallId: 'c1',
            state,
            input: { currentPassword: 'old-password-1', newPassword: 'new-password-2' },
            ...(state === 'output-available' ? { output: { ok: true } } : {}),
          },
          { type: 'text', text: 'Your new password new-password-2 is set.' },
        ],
      }) as UIMessage;
    const pending = redactMessages([message('approval-requested')]);
    expect(JSON.stringify(pending)).to.contain('new-password-2');
    const settled = JSON.stringify(redactMessages([message('output-available')]));
    expect(settled).to.not.contain('new-password-2').and.not.contain('old-password-1');
    expect(settled).to.contain('Your new password [redacted] is set.');
  });
});
