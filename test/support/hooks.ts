import { dropTemplates } from './database.ts';

/** Mocha root hooks: clean up what the whole run shares. */
export const mochaHooks = {
  async afterAll() {
    await dropTemplates();
  },
};
