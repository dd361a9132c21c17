#!/usr/bin/env node
// The `bizosaas` command. The platform is TypeScript run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
