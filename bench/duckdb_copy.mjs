// duckdb_copy: the same CSV -> CSV copy with DuckDB, for the benchmark.
//
//   node bench/duckdb_copy.mjs INPUT OUTPUT [THREADS]
//
// THREADS is a number (SET threads=N) or "default" (DuckDB's own choice, one per core).
// Uses @duckdb/node-api installed by bench/run.sh into bench/.tools/ (or the folder
// named by $DUCKDB_NODE_MODULES).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [input, output, threads = 'default'] = process.argv.slice(2);
if (!input || !output) {
    console.error('usage: node duckdb_copy.mjs INPUT OUTPUT [THREADS|default]');
    process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.DUCKDB_NODE_MODULES || path.join(here, '.tools', 'node_modules');
const { DuckDBInstance } = await import(
    pathToFileURL(path.join(modules, '@duckdb', 'node-api', 'lib', 'index.js')).href
);

const sql = (s) => "'" + String(s).replaceAll("'", "''") + "'";

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (threads !== 'default') {
    if (!/^[1-9][0-9]*$/.test(threads)) {
        console.error(`duckdb_copy: bad thread count '${threads}'`);
        process.exit(2);
    }
    await connection.run(`SET threads=${threads}`);
}
await connection.run(`COPY (SELECT * FROM read_csv(${sql(input)})) TO ${sql(output)}`);
connection.closeSync();
