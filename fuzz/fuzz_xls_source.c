/* fuzz_xls_source: the bytes are a .xls file read by the real xls plugin in
 * a real run (xls source -> csv sink, rejects to a csv sink): the source's
 * own scan of the OLE2 container and its BIFF records (xls_scan.c), then
 * FreeXL, then the header and the rows.  max_cells is kept at 1,000,000 so
 * that no input makes FreeXL allocate more than 16 MB; the seeds
 * (fuzz/corpus/xls_source) are LibreOffice's exports of
 * tests/formats/fixtures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char pipeline[] = "version: 1\n"
                               "sources:\n"
                               "  feed:\n"
                               "    type: xls\n"
                               "    path: in.xls\n"
                               "    max_cells: 1000000\n"
                               "    dates: [id]\n"
                               "sinks:\n"
                               "  result: {type: csv, inputs: [feed], path: out/result.csv, fsync: false}\n"
                               "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n";

static hz_document *doc;
static const char *file;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    doc = hz_fuzz_load_fixed("xls.yaml", pipeline, &file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    hz_fuzz_write("in.xls", data, size);
    hz_fuzz_pipeline(doc, file, HZ_MODE_RUN);
    return 0;
}
