import { build } from 'esbuild';

/**
 * A browser script bundled from TypeScript on first use and kept in memory. esbuild is
 * already installed as the engine of tsx, which runs the server, so `npm start` needs no
 * build step for it. A failed build is retried on the next call rather than cached.
 */
export function browserBundle(entry: string, name: string): () => Promise<string> {
  let bundled: Promise<string> | null = null;
  return () => {
    if (!bundled) {
      bundled = build({
        entryPoints: [entry],
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
        if (!output) throw new Error(`esbuild produced no ${name}`);
        return output.text;
      });
      bundled.catch(() => {
        bundled = null;
      });
    }
    return bundled;
  };
}
