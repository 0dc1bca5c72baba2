/**
 * Size of the library as a bundler ships it: the package entry `src/index.ts` bundled with
 * esbuild as minified ESM for a neutral platform, then gzipped at level 9.
 */

import { build, type Metafile } from "esbuild";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Gzipped sizes in bytes, and the minified bytes that each package adds to the bundle. */
export interface BundleSizes {
  /** The whole entry with openapi-fetch and valibot. */
  totalGzip: number;
  /** The entry with valibot left out, to find valibot's gzipped share by difference. */
  withoutValibotGzip: number;
  /** openapi-fetch's `createClient` bundled alone, for comparison. */
  openapiFetchAloneGzip: number;
  /** Minified bytes of the whole entry, before gzip. */
  totalMinified: number;
  /** Minified bytes in the bundle by source: `openapi-fetch`, `valibot`, or a file of `src/`. */
  minifiedBySource: Record<string, number>;
}

interface BundleOutput {
  minified: number;
  gzip: number;
  metafile: Metafile;
}

async function bundle(contents: string, external: string[] = []): Promise<BundleOutput> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "entry.ts", loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();

  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    metafile: result.metafile,
  };
}

/** Bundles the library three ways and returns the sizes. */
export async function measureBundleSizes(): Promise<BundleSizes> {
  const entry = 'export * from "./src/index.ts";';
  const total = await bundle(entry);
  const withoutValibot = await bundle(entry, ["valibot"]);
  const openapiFetchAlone = await bundle('export { default } from "openapi-fetch";');

  const minifiedBySource: Record<string, number> = {};
  for (const output of Object.values(total.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = path.includes("node_modules/")
        ? (path.split("node_modules/")[1]?.split("/")[0] ?? path)
        : path;
      minifiedBySource[source] = (minifiedBySource[source] ?? 0) + bytesInOutput;
    }
  }

  return {
    totalGzip: total.gzip,
    withoutValibotGzip: withoutValibot.gzip,
    openapiFetchAloneGzip: openapiFetchAlone.gzip,
    totalMinified: total.minified,
    minifiedBySource,
  };
}
