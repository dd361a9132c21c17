import { auditedWrites } from './audited-writes.ts';
import { gatewayOverhead } from './gateway-overhead.ts';
import { mcpOverHttp } from './mcp-http.ts';
import { writeFloor } from './write-floor.ts';

// `npm run bench [-- iterations]`: figures, not assertions; ratios compare runs made side by side.
const iterations = Number(process.argv[2] ?? 2000);
const db = process.env.DATABASE_URL ? 'postgres' : 'pglite';
console.log(
  `BizOSaaS bench — ${iterations} sequential calls per measurement, best of 3 rounds, database ${db}\n`,
);

const overhead = await gatewayOverhead(iterations);
console.log(
  'Read tool through gateway.callTool vs the same tool on the server’s MCP client (in-memory transport):',
);
for (const [name, r] of Object.entries(overhead)) {
  console.log(
    `  ${name.padEnd(9)} gateway ${String(r.a.microsPerCall).padStart(7)} µs/call (${r.a.perSecond}/s)   bare ${String(r.b.microsPerCall).padStart(7)} µs/call (${r.b.perSecond}/s)   ratio ${r.ratio}×`,
  );
}

const writes = await auditedWrites(iterations);
console.log('\nAudited writes (users_update_profile: the change and its audit record in one transaction):');
console.log(
  `  gateway ${writes.a.perSecond}/s (${writes.a.microsPerCall} µs/write)   same SQL called directly ${writes.b.perSecond}/s (${writes.b.microsPerCall} µs/write)   ratio ${writes.ratio}×`,
);

const floor = await writeFloor(iterations);
if (floor)
  console.log(
    `  floor: the same statements as hand-written SQL on the PGlite client, three round trips, no ORM/MCP/gateway: ${floor.perSecond}/s (${floor.microsPerCall} µs/write)`,
  );

const http = await mcpOverHttp(Math.max(200, Math.floor(iterations / 4)));
console.log('\nOver loopback HTTP (stateless Streamable HTTP):');
console.log(
  `  gateway /mcp ping ${http.a.microsPerCall} µs/call (${http.a.perSecond}/s)   bare SDK server ping ${http.b.microsPerCall} µs/call (${http.b.perSecond}/s)   ratio ${http.ratio}×`,
);
process.exit(0);
