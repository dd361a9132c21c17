import type { Config } from '../core/config.ts';
import type { Keys } from '../core/secrets.ts';
import { type MountManager, registryServer, workRootIn } from '../registry/index.ts';
import { agentsServer } from '../servers/agents/index.ts';
import { auditServer } from '../servers/audit/index.ts';
import { crmServer } from '../servers/crm/index.ts';
import type { DomainServer } from '../servers/kit/define-server.ts';
import { memoryServer } from '../servers/memory/index.ts';
import { reviewsServer } from '../servers/reviews/index.ts';
import { usersServer } from '../servers/users/index.ts';

/**
 * The platform's own MCP servers, in the order they are mounted. The registry server drives the
 * gateway's mount manager when it runs in the gateway process.
 */
export function domainServers(
  config: Pick<Config, 'publicUrl' | 'avatars' | 'dataDir'>,
  keys: Keys,
  mounts?: MountManager,
): DomainServer[] {
  return [
    usersServer({
      publicUrl: config.publicUrl,
      credentialsKey: keys.key('credentials'),
      impersonationKey: keys.key('impersonation'),
      avatarDir: config.avatars.dir,
      avatarMaxBytes: config.avatars.maxBytes,
    }),
    auditServer(),
    crmServer(),
    reviewsServer({ webhookKey: keys.key('credentials') }),
    agentsServer(),
    memoryServer(),
    registryServer({ credentialsKey: keys.key('credentials'), mounts, workRoot: workRootIn(config.dataDir) }),
  ];
}
