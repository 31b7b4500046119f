// kh_duckdb: the key-highlights pipeline in DuckDB, for bench/key-highlights.sh.
//
//   node bench/kh_duckdb.mjs spellings SAMPLES PREP
//       print office<TAB>spelling for every distinct host and origin spelling of the feeds,
//       and every office spelling of the two service feeds (office services_global,
//       services_guinee) (untimed set-up: harmonize country turns them into
//       PREP/countries.csv)
//   node bench/kh_duckdb.mjs run SAMPLES PREP OUT [THREADS]
//       the timed run: kh_duckdb_read.sql then kh_duckdb.sql, tables in
//       OUT/key-highlights.duckdb, CSV files in OUT
//   node bench/kh_duckdb.mjs counts OUT TABLE...
//       print table<TAB>rows for each TABLE of OUT/key-highlights.duckdb (the check after
//       the timed runs: the database holds the tables the CSV files show)
//
// THREADS is a number (SET threads=N) or "default" (DuckDB's own choice, one per core).
// Uses @duckdb/node-api installed by bench/run.sh or bench/key-highlights.sh into
// bench/.tools/ (or the folder named by $DUCKDB_NODE_MODULES).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const mode = args[0];
const [, samples, prep, out, threads = 'default'] = args;
if (!(mode === 'spellings' && prep) && !(mode === 'run' && out) && !(mode === 'counts' && args.length >= 3)) {
    console.error('usage: node kh_duckdb.mjs spellings SAMPLES PREP\n' +
        '       node kh_duckdb.mjs run SAMPLES PREP OUT [THREADS|default]\n' +
        '       node kh_duckdb.mjs counts OUT TABLE...');
    process.exit(2);
}
if (mode === 'run' && threads !== 'default' && !/^[1-9][0-9]*$/.test(threads)) {
    console.error(`kh_duckdb: bad thread count '${threads}'`);
    process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.DUCKDB_NODE_MODULES || path.join(here, '.tools', 'node_modules');
const { DuckDBInstance } = await import(
    pathToFileURL(path.join(modules, '@duckdb', 'node-api', 'lib', 'index.js')).href
);

if (mode === 'counts') {
    const instance = await DuckDBInstance.create(path.join(args[1], 'key-highlights.duckdb'),
        { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    for (const table of args.slice(2)) {
        if (!/^[a-z_]+$/.test(table)) throw new Error(`kh_duckdb: bad table name '${table}'`);
        const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
        process.stdout.write(`${table}\t${reader.getRows()[0][0]}\n`);
    }
    connection.closeSync();
    process.exit(0);
}

// {{name}} sits inside a string literal: double the quotes of the value.
const folders = { samples, prep, out };
const script = (file) => fs.readFileSync(path.join(here, file), 'utf8')
    .replace(/\{\{(\w+)\}\}/g, (_, name) => String(path.resolve(folders[name])).replaceAll("'", "''"));

async function runScript(connection, file) {
    const extracted = await connection.extractStatements(script(file));
    for (let i = 0; i < extracted.count; i++) {
        const prepared = await extracted.prepare(i);
        await prepared.run();
    }
}

let database = ':memory:';
if (mode === 'run') {
    database = path.join(out, 'key-highlights.duckdb');
    fs.rmSync(database, { force: true });
    fs.rmSync(database + '.wal', { force: true });
}
const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
if (threads !== 'default') await connection.run(`SET threads=${threads}`);
await runScript(connection, 'kh_duckdb_read.sql');
if (mode === 'spellings') {
    const views = ['libya', 'yemen', 'germany', 'niger', 'greece', 'global'];
    const query = views.map((v) => `SELECT source, host AS s FROM raw_${v} UNION SELECT source, origin FROM raw_${v}`)
        .concat(['services_global', 'services_guinee'].map((v) => `SELECT source, office FROM raw_${v}`))
        .join(' UNION ');
    const reader = await connection.runAndReadAll(
        `SELECT source, s FROM (${query}) WHERE s IS NOT NULL AND s NOT LIKE '%\n%' ORDER BY ALL`);
    for (const [source, spelling] of reader.getRows()) process.stdout.write(`${source}\t${spelling}\n`);
} else {
    await runScript(connection, 'kh_duckdb.sql');
}
connection.closeSync();
