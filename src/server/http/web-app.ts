import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { MAX_PARAM_LENGTH } from './input-checks.ts';
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
    // The plugin's wildcard route catches every GET the router cannot match, /api addresses included
    // (one whose path parameter is longer than the router reads): those are the API's 404, never a file.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url === '/*' && isApi(request.url)) return answerNoRoute(request, reply);
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Missing build files are 404s, not the app page: a stale tab then reloads instead of showing a blank screen.
    const isPage = request.method === 'GET' && !isApi(request.url) && !request.url.startsWith('/assets/');
    if (isPage && existsSync(path.join(webRoot, 'index.html'))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
    }
    if (isPage) {
      return reply.type('text/html').send('<!doctype html><p>The web app is not built. Run <code>npm run build</code> (npm start does it for you).</p>');
    }
    return answerNoRoute(request, reply);
  });
}

const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

/**
 * No route: a 404 in the API's shape; or a 400 when a part of the address is longer than the router
 * reads (the route may well exist: its parameter is what is wrong, as a schema would have said).
 */
function answerNoRoute(request: FastifyRequest, reply: FastifyReply) {
  const address = request.url.split('?')[0]!;
  if (address.split('/').some((part) => part.length > MAX_PARAM_LENGTH)) {
    return reply.status(400).send({
      code: 'validation.too_long',
      message: `A part of the address is longer than ${MAX_PARAM_LENGTH.toLocaleString('en')} characters.`,
      limit: MAX_PARAM_LENGTH,
    });
  }
  return reply.status(404).send({ code: 'route.not_found', message: `No route ${request.method} ${address.slice(0, 200)}.` });
}
