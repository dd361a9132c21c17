import { measure } from './measure.ts';
import { benchPlatform } from './setup.ts';

/** Writes through `gateway.callTool`, each committed together with its audit record. */
export async function auditedWrites(iterations: number) {
  const world = await benchPlatform();
  try {
    const ops = await world.as('ops@bizosaas.test');
    return await measure(iterations, (i) =>
      world.platform.gateway.callTool(ops, 'users_update_profile', {
        user: 'bob@northwind.test',
        jobTitle: `Baker ${i}`,
      }),
    );
  } finally {
    await world.close();
  }
}
