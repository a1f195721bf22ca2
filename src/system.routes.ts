import { z } from 'zod';
import { countAppliedMigrations } from './platform/db/migrate.ts';
import { defineRoute } from './platform/http/route.ts';
import { VERSION } from './version.ts';

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    summary: 'Liveness and database check',
    tag: 'System',
    access: 'public',
    responses: {
      200: z.object({
        status: z.literal('ok'),
        database: z.enum(['pglite', 'postgres']),
        version: z.string(),
        migrations: z.number().int(),
      }),
    },
    handler: async (_input, c) => {
      const { db } = c.get('deps');
      return {
        status: 200,
        body: {
          status: 'ok',
          database: db.kind,
          version: VERSION,
          migrations: await countAppliedMigrations(db),
        },
      };
    },
  }),
];
