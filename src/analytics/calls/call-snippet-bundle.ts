import path from 'node:path';
import { build } from 'esbuild';

const ENTRY = path.join(import.meta.dirname, 'snippet', 'call-snippet.ts');

let bundled: Promise<string> | null = null;

/** The call-tracking snippet, bundled from TypeScript on first use and kept in memory. */
export function callSnippet(): Promise<string> {
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
      if (!output) throw new Error('esbuild produced no call-tracking script');
      return output.text;
    });
    bundled.catch(() => {
      bundled = null;
    });
  }
  return bundled;
}
