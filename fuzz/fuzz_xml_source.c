/* fuzz_xml_source: the bytes are an XML file read by the real xml plugin
 * in a real run (xml source -> csv sink, rejects to a csv sink), with
 * fixed record and fields options covering every kind of field path:
 * attributes, nested elements, an attribute of a nested element, the
 * record's own text, and a required field.
 *
 * An input starting with the byte 0x01 is read (without that byte) by a
 * second pipeline with allow_entities: true and tiny limits
 * (max_field_bytes: 64, max_record_bytes: 4096, max_depth: 8), so that the
 * fuzzer reaches entity expansion and every limit with small inputs; any
 * other input by the first, with the default limits (entity declarations
 * refused). */
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

/* The same pipeline with entities allowed and every limit tiny. */
static const char limits_pipeline[] =
    "version: 1\n"
    "sources:\n"
    "  feed:\n"
    "    type: xml\n"
    "    path: in.xml\n"
    "    record: case\n"
    "    allow_entities: true\n"
    "    max_field_bytes: 64\n"
    "    max_record_bytes: 4096\n"
    "    max_depth: 8\n"
    "    fields:\n"
    "      id: \"@id\"\n"
    "      departure: departure\n"
    "      age: person/age\n"
    "      origin_iso3: origin/@iso3\n"
    "      text: .\n"
    "    required: [id]\n"
    "sinks:\n"
    "  result: {type: csv, inputs: [feed], path: out/result.csv, fsync: false}\n"
    "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n";

/* The byte that selects limits_pipeline. */
#define LIMITS_MARK 0x01

static hz_document *doc, *limits_doc;
static char *file, *limits_file;

static void free_doc(void) {
    hz_document_free(doc);
    hz_document_free(limits_doc);
    free(file);
    free(limits_file);
}

static hz_document *load(const char *name, const char *text, char **path) {
    hz_fuzz_write(name, text, strlen(text));
    *path = hz_fuzz_path(name);
    hz_diag diag = {0};
    hz_document *d = hz_document_load(*path, hz_fuzz_vars(), &diag);
    if (diag.errors || !d || !d->root) {
        hz_diag_print(&diag, stderr);
        fprintf(stderr, "fuzz_xml_source: %s does not load\n", name);
        abort();
    }
    hz_diag_free(&diag);
    return d;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    doc = load("xml.yaml", pipeline, &file);
    limits_doc = load("xml-limits.yaml", limits_pipeline, &limits_file);
    atexit(free_doc);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 0 && data[0] == LIMITS_MARK) {
        hz_fuzz_write("in.xml", data + 1, size - 1);
        hz_fuzz_pipeline(limits_doc, limits_file, HZ_MODE_RUN);
        return 0;
    }
    hz_fuzz_write("in.xml", data, size);
    hz_fuzz_pipeline(doc, file, HZ_MODE_RUN);
    return 0;
}
