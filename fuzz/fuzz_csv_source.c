/* fuzz_csv_source: the bytes are a CSV file read by the real csv plugin
 * in a real run (csv source -> csv sink, rejects to a csv sink), so the
 * parser, its recovery from bad quotes, the encoding checks and
 * conversions, line counting, rejects and the sink's quoting all see it.
 *
 * The first byte picks the source's options, the rest is the file:
 *   bits 0-1  delimiter  , ; tab |
 *   bit 2     quote      " or '
 *   bit 3     encoding   utf-8 or windows-1252
 *   bit 4     header     true, or false with columns [a, b, c, d]
 *   bit 5     max_field_bytes 16 instead of the default 16 MiB
 *   bit 6     the input starts 16 bytes before the end of the source's
 *             first 64 KiB block (a row and blank lines fill the space
 *             before it), so records straddle a read() boundary
 *   bit 7     unused */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define OPTION_SETS 128
/* The csv source reads and parses 64 KiB per read() (BLOCK_SIZE). */
#define BLOCK    65536
#define STRADDLE 16

static hz_document *docs[OPTION_SETS];
static char *files[OPTION_SETS];
static hz_strbuf input;

static const char delimiters[] = {',', ';', '\t', '|'};

/* The pipeline for option set `set`, written and loaded once. */
static hz_document *pipeline_for(unsigned set) {
    if (docs[set]) return docs[set];
    char delimiter = delimiters[set & 3];
    const char *quote = set & 4 ? "'" : "\\\"";
    char name[32];
    snprintf(name, sizeof name, "csv-%03u.yaml", set);
    char *text = hz_xasprintf("version: 1\n"
                              "sources:\n"
                              "  feed:\n"
                              "    type: csv\n"
                              "    path: in.csv\n"
                              "    delimiter: \"%s\"\n"
                              "    quote: \"%s\"\n"
                              "    encoding: %s\n"
                              "    header: %s\n"
                              "%s%s"
                              "sinks:\n"
                              "  result: {type: csv, inputs: [feed], path: out/result.csv, fsync: false}\n"
                              "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n",
                              delimiter == '\t' ? "\\t" : (char[]){delimiter, '\0'}, quote,
                              set & 8 ? "windows-1252" : "utf-8", set & 16 ? "false" : "true",
                              set & 16 ? "    columns: [a, b, c, d]\n" : "",
                              set & 32 ? "    max_field_bytes: 16\n" : "");
    hz_fuzz_write(name, text, strlen(text));
    free(text);
    files[set] = hz_fuzz_path(name);
    hz_diag diag = {0};
    docs[set] = hz_document_load(files[set], hz_fuzz_vars(), &diag);
    if (diag.errors || !docs[set] || !docs[set]->root) {
        hz_diag_print(&diag, stderr);
        fprintf(stderr, "fuzz_csv_source: the pipeline of option set %u does not load\n", set);
        abort();
    }
    hz_diag_free(&diag);
    return docs[set];
}

/* The header (if there is one), one row, then blank lines up to STRADDLE
 * bytes before the block's end.  The row makes the first read() return
 * with the input's first record still open, so it is carried over to the
 * next batch; blank lines cost no rows, only line numbers. */
static void fill_block(hz_strbuf *out, unsigned set) {
    char d = delimiters[set & 3];
    const char header[] = {'a', d, 'b', d, 'c', d, 'd', '\n'};
    const char row[] = {'1', d, '2', d, '3', d, '4', '\n'};
    if (!(set & 16)) hz_strbuf_add(out, header, sizeof header);
    hz_strbuf_add(out, row, sizeof row);
    static char blank[BLOCK];
    if (!blank[0]) memset(blank, '\n', sizeof blank);
    hz_strbuf_add(out, blank, BLOCK - STRADDLE - out->len);
}

static void free_docs(void) {
    for (unsigned i = 0; i < OPTION_SETS; i++) {
        hz_document_free(docs[i]);
        free(files[i]);
    }
    hz_strbuf_free(&input);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    atexit(free_docs);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    unsigned set = data[0] & (OPTION_SETS - 1);
    hz_document *doc = pipeline_for(set);
    input.len = 0;
    if (set & 64) fill_block(&input, set);
    hz_strbuf_add(&input, (const char *)data + 1, size - 1);
    hz_fuzz_write("in.csv", input.data, input.len);
    hz_fuzz_pipeline(doc, files[set], HZ_MODE_RUN);
    return 0;
}
