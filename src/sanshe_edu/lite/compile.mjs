// Run by Node.js with the site's Pyodide (see sanshe_edu.lite.compile):
//   node compile.mjs RUNTIME SRC
// mounts SRC as /src in the Pyodide of the RUNTIME folder and runs compile_in_pyodide.py
// (beside this file) there, which byte-compiles every .py under /src.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtime, src] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: runtime + path.sep });
py.mountNodeFS("/src", src);
py.runPython(readFileSync(new URL("./compile_in_pyodide.py", import.meta.url), "utf8"));
