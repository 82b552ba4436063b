import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const repo = import.meta.dirname;

/**
 * The web app reads the shared modules (src/shared) for their constants, labels and helpers; their zod
 * schemas are for the server (validation, OpenAPI) and for the few pages that use one. A top-level
 * definition there only builds a value, so it is marked side-effect free: an initializer that does any
 * work (a call, `new`, a template with `${}` — building a string may call toString) becomes a
 * `/* @__PURE__ *\/` arrow called at once. The bundler then drops the schemas no page uses, whole: an
 * initializer kept in part (a description's template once was) would keep its module's imports, zod,
 * in every page that imports the module (the log-in page, the home).
 */
function pureSharedDefinitions(): Plugin {
  const shared = path.join(repo, 'src/shared') + path.sep;
  type Node = { type: string; start: number; end: number; [key: string]: unknown };
  const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
  const functions = new Set(['ArrowFunctionExpression', 'FunctionExpression', 'FunctionDeclaration', 'ClassExpression', 'ClassDeclaration']);
  const doesWork = (node: Node): boolean => {
    if (functions.has(node.type)) return false;
    if (node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'TaggedTemplateExpression') return true;
    if (node.type === 'TemplateLiteral' && (node.expressions as Node[]).length > 0) return true;
    return Object.values(node).some((value) => (Array.isArray(value) ? value : [value]).some((child) => isNode(child) && doesWork(child)));
  };
  return {
    name: 'guichet:pure-shared-definitions',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!id.startsWith(shared)) return null;
      const initializers: Node[] = [];
      for (const statement of this.parse(code).body as unknown as Node[]) {
        const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
        if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
        for (const declarator of declaration.declarations as Node[])
          if (isNode(declarator.init) && doesWork(declarator.init)) initializers.push(declarator.init);
      }
      if (initializers.length === 0) return null;
      let out = code;
      for (const init of initializers.sort((a, b) => b.start - a.start)) {
        out = `${out.slice(0, init.start)}/* @__PURE__ */ (() => (${out.slice(init.start, init.end)}))()${out.slice(init.end)}`;
      }
      return { code: out, map: null };
    },
  };
}

/** Text files worth compressing, and the size under which compression saves less than it costs. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;
const COMPRESS_MIN_BYTES = 1024;

/**
 * Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every text file of the build
 * over 1 KB, once, at build time: the server sends them as they are (@fastify/static `preCompressed`),
 * at a quality too slow to reach per request. A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  let outDir = '';
  const brotli = promisify(brotliCompress);
  const gzipped = promisify(gzip);
  return {
    name: 'guichet:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
      await Promise.all(
        files.map(async (file) => {
          const data = await readFile(file);
          if (data.length < COMPRESS_MIN_BYTES) return;
          const [br, gz] = await Promise.all([
            brotli(data, {
              params: {
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
              },
            }),
            gzipped(data, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          if (br.length < data.length) await writeFile(`${file}.br`, br);
          if (gz.length < data.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/** The web app: sources in src/web, built into dist/web, which the API server serves. */
export default defineConfig({
  root: path.join(repo, 'src/web'),
  plugins: [react(), pureSharedDefinitions(), precompress()],
  build: {
    outDir: path.join(repo, 'dist/web'),
    emptyOutDir: true,
    // The server's CSP allows no inline script: keep every script in a file of its own.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // What every page needs (the modules the entry imports statically) comes in few files: React and
        // the router, the other libraries, the app. Libraries change less often than the app: separate
        // files stay cached across releases. Pages and what only they use (charts, Markdown) come with
        // their route (src/web/app.tsx).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
            { name: 'app', tags: ['$initial'] },
            // The home, where every logged-in visit starts, with all it needs in one file (pages that share
            // parts with it reuse that file).
            { name: 'home', test: /src[\\/]web[\\/]features[\\/]home[\\/]home-page\.tsx$/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
