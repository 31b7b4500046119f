/* hzs_decode.h - compressed feeds for hzs_input: the packing told by the
 * first bytes, and libarchive decompressing block by block.  Internal to
 * hzs_input.c (sources use hzs_input.h). */
#ifndef HZS_DECODE_H
#define HZS_DECODE_H
#include <stddef.h>
#include <sys/types.h>

#include "hzs_input.h"

/* The most bytes hzs_packing_of looks at. */
#define HZS_MAGIC_BYTES 6

/* The packing these first bytes (n of them, fewer at a short file) show. */
hzs_packing hzs_packing_of(const unsigned char *p, size_t n);
const char *hzs_packing_name(hzs_packing k);

/* The input's raw bytes (peeked, kept, then the descriptor's), for
 * libarchive; defined in hzs_input.c. */
ssize_t hzs_input_raw_read(hzs_input *in, void *buf, size_t n);
/* Back to the first byte of a regular file, to read it again. */
int hzs_input_rewind(hzs_input *in);

/* plan(): check the options and, for a zip, that the member is there, is
 * the only one when none is named, and is not encrypted (configuration
 * errors listing the members).  The input is rewound after.  0 or -1. */
int hzs_decode_plan(hzs_input *in);

/* Up to n decompressed bytes, fewer only at the end (one read's worth for
 * a once-only input); the archive is opened at the first call.  -1 after
 * reporting (a corrupt or truncated stream, a bomb). */
ssize_t hzs_decode_read(hzs_input *in, void *buf, size_t n);

/* Free the archive (the input's descriptor is hzs_input's). */
void hzs_decode_end(hzs_input *in);
#endif
