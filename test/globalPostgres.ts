/** vitest's global set-up: one throwaway PostgreSQL for the whole run (tests each make their own database in it). */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './helpers/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const pg = await startPostgres();
  project.provide('pgUrl', pg.url);
  return () => pg.stop();
}
