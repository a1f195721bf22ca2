import path from 'node:path';
import { build } from 'esbuild';

const ENTRY = path.join(import.meta.dirname, 'embed.ts');

let bundled: Promise<string> | null = null;

/**
 * The embed snippet, bundled from TypeScript on first use and kept in memory. esbuild is
 * already installed as the engine of tsx, which runs the server, so `npm start` needs no
 * build step for it.
 */
export function embedScript(): Promise<string> {
  if (!bundled) {
    bundled = build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020'],
      platform: 'browser',
      charset: 'utf8',
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    }).then((result) => {
      const [output] = result.outputFiles;
      if (!output) throw new Error('esbuild produced no embed script');
      return output.text;
    });
    // A failed build is retried on the next request rather than cached.
    bundled.catch(() => {
      bundled = null;
    });
  }
  return bundled;
}
