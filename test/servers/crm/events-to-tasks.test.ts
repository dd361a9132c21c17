import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { taskRuns } from '../../../servers/agents/schema.ts';
import { scriptedModel } from '../../support/scripted-model.ts';
import { startWorld } from '../../support/world.ts';

describe('CRM events reaching task automation', () => {
  it('runs a task waiting for crm.lead_created, with the new lead in its prompt', async () => {
    const script = scriptedModel([{ text: 'Welcome email drafted.' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as('nina@northwind.test');
      const { task } = (await world.platform.gateway.callTool(nina, 'agents_create_task', {
        name: 'greet new leads',
        instruction: 'Draft a welcome note for the new lead.',
        event: 'crm.lead_created',
      })) as { task: { id: string } };
      await world.platform.gateway.callTool(nina, 'crm_create_lead', {
        name: 'Eve Early',
        email: 'eve@early.test',
      });
      await world.platform.automation.tick();
      const runs = await world.database.db.select().from(taskRuns).where(eq(taskRuns.taskId, task.id));
      expect(runs.map((r) => [r.trigger, r.status, r.reply])).to.deep.equal([
        ['event', 'succeeded', 'Welcome email drafted.'],
      ]);
      expect(JSON.stringify(script.calls.at(-1)?.prompt))
        .to.contain('crm.lead_created')
        .and.contain('Eve Early');
    } finally {
      await world.close();
    }
  });
});
