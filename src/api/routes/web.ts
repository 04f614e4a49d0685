// GET /: the live wallboard (src/web/wallboard.html), one self-contained page.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.js';

const PAGE = readFileSync(fileURLToPath(new URL('../../web/wallboard.html', import.meta.url)), 'utf8');

export const webRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/', { schema: { summary: 'The live wallboard page', hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return PAGE;
  });
};
