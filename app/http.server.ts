// The HTTP layer around Remix: security headers (a per-request CSP nonce for Remix's scripts),
// refusal of cross-origin writes, static files, and the Remix request handler.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequestHandler } from '@remix-run/express';
import type { AppLoadContext, ServerBuild } from '@remix-run/node';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { runInRequestScope } from '~/request-scope.server';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The CSP nonce of this response, for Remix's inline scripts. */
    cspNonce: string;
    /** The client's address (from X-Forwarded-For only when TRUST_PROXY is set). */
    clientAddress: string;
  }
}

export interface HttpOptions {
  build: ServerBuild;
  clientDir: string;
  trustProxy: boolean;
  appOrigin?: string;
  mode?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent from another site. SameSite=Lax cookies already stop most
 * of them; this also covers same-site subdomains and browsers without SameSite.
 */
export function isCrossOriginWrite(req: Pick<Request, 'method' | 'protocol' | 'get'>, appOrigin?: string): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.get('origin');
  if (origin) {
    const expected = appOrigin ?? `${req.protocol}://${req.get('host') ?? ''}`;
    return origin !== expected;
  }
  const site = req.get('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

const CREDENTIAL_JSON_PATH = /^\/verify\/([A-Za-z0-9-]{8,64})\.json$/;

/**
 * `/verify/<id>.json` → `/verify/<id>/credential` (query kept), else null. A Remix route parameter
 * cannot carry a suffix, so the public JSON address is mapped onto its resource route here.
 */
export function rewriteCredentialPath(url: string): string | null {
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  const match = CREDENTIAL_JSON_PATH.exec(pathname);
  if (!match) return null;
  return `/verify/${match[1] ?? ''}/credential${queryAt === -1 ? '' : url.slice(queryAt)}`;
}

export function createHttpApp(options: HttpOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
          'style-src': ["'self'"],
          // progress bars set their width in a style attribute; no inline <style> or script
          'style-src-attr': ["'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isCrossOriginWrite(req, options.appOrigin)) return next();
    res.status(403).type('text/plain').send('Cross-site request refused: submit the form from this site.');
  });

  app.use('/assets', express.static(path.join(options.clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  // Files from public/ (favicon…): looked up only for their own names, so a page request does not
  // cost a file-system lookup first.
  const publicFiles = new Set(fs.existsSync(options.clientDir) ? fs.readdirSync(options.clientDir) : []);
  const servePublic = express.static(options.clientDir, { maxAge: '1h', index: false });
  app.use((req, res, next) => (publicFiles.has(req.path.slice(1)) ? servePublic(req, res, next) : next()));

  app.use((req, _res, next) => {
    const rewritten = req.method === 'GET' || req.method === 'HEAD' ? rewriteCredentialPath(req.originalUrl) : null;
    // @remix-run/express builds the Request from originalUrl, so both change.
    if (rewritten) req.url = req.originalUrl = rewritten;
    next();
  });

  const handleWithRemix = createRequestHandler({
    build: options.build,
    mode: options.mode ?? 'production',
    getLoadContext: (req, res): AppLoadContext => ({
      cspNonce: res.locals.cspNonce as string,
      clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    }),
  });
  app.all('*', (req, res, next) => runInRequestScope(() => handleWithRemix(req, res, next)));
  return app;
}
