import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { DOCUMENT_ONLY_HEADERS } from './security.ts';

/**
 * The built web app (dist/web): its files, cached for good when their name carries a hash, and its
 * page for every other GET outside /api; a 404 in the API's shape for the rest.
 */
export async function serveWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  if (existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: 'index.html',
      // The build's .br and .gz copies (vite.config.ts), chosen by Accept-Encoding, with Vary: Accept-Encoding.
      preCompressed: true,
      // Built files carry a content hash in their name: cache them for good; the page itself never.
      setHeaders: (res, filePath) => {
        const built = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', built ? 'public, max-age=31536000, immutable' : 'no-cache');
        // A script or style sheet is never a document: the headers that only govern documents (the CSP
        // above all, ~300 bytes) are dropped from them, half a kilobyte less per file on a first load.
        // nosniff, the cross-origin resource policy and the referrer policy (a style sheet's own
        // requests follow it), which do apply to them, stay.
        if (built && /\.(js|css)$/.test(filePath.replace(/\.(br|gz)$/, ''))) {
          for (const header of DOCUMENT_ONLY_HEADERS) res.removeHeader(header);
        }
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Missing build files are 404s, not the app page: a stale tab then reloads instead of showing a blank screen.
    const isPage = request.method === 'GET' && !request.url.startsWith('/api') && !request.url.startsWith('/assets/');
    if (isPage && existsSync(path.join(webRoot, 'index.html'))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
    }
    if (isPage) {
      return reply.type('text/html').send('<!doctype html><p>The web app is not built. Run <code>npm run build</code> (npm start does it for you).</p>');
    }
    return reply.status(404).send({ code: 'route.not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });
}
