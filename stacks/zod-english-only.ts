import { dirname, join } from 'node:path';
import type { FunctionProps } from 'sst/constructs';

/** The esbuild plugin type of the esbuild SST bundles with (not the workspace's). */
type Plugin = NonNullable<NonNullable<NonNullable<FunctionProps['nodejs']>['esbuild']>['plugins']>[number];

/**
 * zod 4 re-exports every locale (`z.locales.*`) from its namespace, so a bundle carries ~40 languages of
 * error messages (~300 KB minified) although the portal only ever uses the default English one. This
 * plugin resolves zod's locale index to a module exporting `en` alone; everything else is unchanged.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const localesDir = join(dirname(args.importer), args.path.replace(/\/index\.js$/, ''));
      return { path: join(localesDir, 'index.js'), namespace: 'zod-english-only', pluginData: { localesDir } };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(args.pluginData.localesDir as string, 'en.js'))};`,
      resolveDir: args.pluginData.localesDir as string,
      loader: 'js',
    }));
  },
};
