import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { registryServices } from '../../registry/schema.ts';
import { sendChat, userMessage } from '../support/chat.ts';
import { httpClient } from '../support/http.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { DEMO_PASSWORD, startWorld } from '../support/world.ts';

const service = async (world: Awaited<ReturnType<typeof startWorld>>, id: string) =>
  (await world.database.db.select().from(registryServices).where(eq(registryServices.id, id)))[0];

describe('registry: the admin agent handles catalog commands', () => {
  it('features HubSpot in onboarding, deprecates Cloudways and sets Shopify’s affiliate link (commands.jsonl reg-1, reg-2)', async () => {
    // The tool calls of ../shared/agents/commands.jsonl, as a model would make them.
    const script = scriptedModel([
      {
        tools: [
          {
            name: 'registry_update_service',
            args: { service: 'hubspot', featured: true, onboardingVisible: true },
          },
        ],
      },
      { text: 'HubSpot is now featured and shown in client onboarding.' },
      { tools: [{ name: 'registry_update_service', args: { service: 'cloudways', status: 'deprecated' } }] },
      { text: 'Cloudways is deprecated.' },
      {
        tools: [
          {
            name: 'registry_update_service',
            args: { service: 'Shopify', affiliateUrl: 'https://shopify.example/partners?ref=bizosaas' },
          },
        ],
      },
      { text: 'Done.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const ops = await world.as('ops@bizosaas.test');
      const feature = await world.platform.agents.runTurn(ops, 'feature HubSpot in client onboarding', {
        agent: 'admin',
      });
      expect(feature.toolCalls.map((c) => [c.name, c.ok])).to.deep.equal([['registry_update_service', true]]);
      expect(feature.pendingApprovals).to.deep.equal([]);
      const offered = (script.calls[0]?.tools ?? []).map((t) => t.name);
      expect(offered).to.include.members([
        'registry_update_service',
        'registry_search_services',
        'registry_stats',
        'users_set_role',
      ]);
      expect(await service(world, 'hubspot')).to.include({ featured: true, onboardingVisible: true });

      const deprecate = await world.platform.agents.runTurn(ops, 'deprecate Cloudways', { agent: 'admin' });
      expect(deprecate.toolCalls.map((c) => c.ok)).to.deep.equal([true]);
      expect((await service(world, 'cloudways'))?.status).to.equal('deprecated');

      // The same through the console's chat.
      const http = httpClient(world.url);
      await http.login('ops@bizosaas.test', DEMO_PASSWORD);
      const turn = await sendChat(http, {
        id: 'chat-affiliate',
        agent: 'admin',
        messages: [
          userMessage('u1', 'set Shopify’s affiliate link to https://shopify.example/partners?ref=bizosaas'),
        ],
      });
      expect(turn.status).to.equal(200);
      const part = turn.message?.parts.find((p) => p.type === 'tool-registry_update_service') as {
        state: string;
      };
      expect(part.state).to.equal('output-available');
      expect((await service(world, 'shopify'))?.affiliateUrl).to.equal(
        'https://shopify.example/partners?ref=bizosaas',
      );
    } finally {
      await world.close();
    }
  });

  it('gives a client’s agent no catalog management tools, only the marketplace', async () => {
    const script = scriptedModel([{ text: 'Hello.' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as('nina@northwind.test');
      await world.platform.agents.runTurn(nina, 'hello', { agent: 'admin' });
      const offered = (script.calls[0]?.tools ?? []).map((t) => t.name);
      expect(offered).to.include('registry_marketplace');
      expect(offered).to.not.include.members(['registry_update_service', 'registry_stats']);
    } finally {
      await world.close();
    }
  });
});
