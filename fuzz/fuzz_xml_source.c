/* fuzz_xml_source: the bytes are an XML file read by the real xml plugin
 * in a real run (xml source -> csv sink, rejects to a csv sink), with
 * fixed record and fields options covering every kind of field path:
 * attributes, nested elements, an attribute of a nested element, the
 * record's own text, and a required field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char pipeline[] = "version: 1\n"
                               "sources:\n"
                               "  feed:\n"
                               "    type: xml\n"
                               "    path: in.xml\n"
                               "    record: case\n"
                               "    fields:\n"
                               "      id: \"@id\"\n"
                               "      type: \"@type\"\n"
                               "      departure: departure\n"
                               "      sex: person/sex\n"
                               "      age: person/age\n"
                               "      origin_iso3: origin/@iso3\n"
                               "      origin: origin\n"
                               "      host: host/name\n"
                               "      text: .\n"
                               "    required: [id]\n"
                               "sinks:\n"
                               "  result: {type: csv, inputs: [feed], path: out/result.csv, fsync: false}\n"
                               "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n";

static hz_document *doc;
static char *file;

static void free_doc(void) {
    hz_document_free(doc);
    free(file);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    hz_fuzz_write("xml.yaml", pipeline, strlen(pipeline));
    file = hz_fuzz_path("xml.yaml");
    hz_diag diag = {0};
    doc = hz_document_load(file, hz_fuzz_vars(), &diag);
    if (diag.errors || !doc || !doc->root) {
        hz_diag_print(&diag, stderr);
        fputs("fuzz_xml_source: the pipeline does not load\n", stderr);
        abort();
    }
    hz_diag_free(&diag);
    atexit(free_doc);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    hz_fuzz_write("in.xml", data, size);
    hz_fuzz_pipeline(doc, file, HZ_MODE_RUN);
    return 0;
}
