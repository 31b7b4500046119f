/* hzs_input.h - a source's input: a file it may open twice, or a stream it
 * can read only once.
 *
 * `path: -` is standard input.  A regular file named by its path is opened
 * by plan() (to read a header, or only so that `validate` reports it
 * missing), opened again by the run, and watched while it is read
 * (hzs_watch).  Anything else (standard input, /dev/stdin, a FIFO,
 * /dev/fd/N from a process substitution) would lose whatever plan() read,
 * or hang on a reopen, so it is opened once, in plan(), and kept open: the
 * bytes plan() reads through hzs_input_read() are kept, and the run's
 * first reads return them again before going on with the descriptor.
 *
 * Compressed feeds (see hzs_decode.c): the first bytes tell a gzip, xz,
 * zstd, bzip2 stream or a zip archive from a plain file.  A plain file is
 * read exactly as before; anything else goes through libarchive, block by
 * block, and hzs_input_read() hands out the decompressed bytes.  `member`
 * names the zip member to read; `max_expanded_bytes` and
 * `max_expansion_ratio` stop a decompression bomb.  `bytes`, the watch and
 * the progress stay those of the file as stored (the compressed bytes).
 *
 * Call order: hzs_input_init (create), hzs_input_plan, optionally
 * hzs_input_keep and reads, hzs_input_plan_end (plan), hzs_input_open and
 * reads, hzs_input_check_end at the end of the data (run), hzs_input_free
 * (destroy). */
#ifndef HZS_INPUT_H
#define HZS_INPUT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <harmonize/plugin.h>

#include "hzs_watch.h"

/* What messages and the feed show for standard input. */
#define HZS_INPUT_STDIN "-"

/* The options every file source takes for compressed feeds: put them in
 * the source's option table. */
// clang-format off
#define HZS_INPUT_OPTIONS                                                                               \
    {"member", HZ_OPT_STRING, NULL, false,                                                              \
     "the member of a .zip archive to read (may be left out when the archive holds one file)", NULL},   \
    {"max_expanded_bytes", HZ_OPT_INT, "68719476736", false,                                            \
     "a compressed feed that decompresses to more bytes fails the run (64 GiB)", NULL},                 \
    {"max_expansion_ratio", HZ_OPT_INT, "200", false,                                                   \
     "a compressed feed whose decompressed bytes pass this many times the compressed bytes read "       \
     "(checked past its first 16 MiB) fails the run: a decompression bomb", NULL}
// clang-format on

/* How the input's bytes are stored (told by its first bytes). */
typedef enum hzs_packing { HZS_PLAIN = 0, HZS_GZIP, HZS_XZ, HZS_ZSTD, HZS_BZIP2, HZS_ZIP } hzs_packing;

struct archive;

typedef struct hzs_input {
    hz_component *c;
    const char *path;    /* to open (resolved), or "-" */
    const char *shown;   /* in messages: as the feed shows it */
    const char *written; /* the `path` option as the pipeline gives it */
    int fd;              /* -1 while closed */
    FILE *stream;        /* hzs_input_stream(): owns fd */
    bool once;           /* cannot be opened again: standard input or not a regular file */
    bool planning;       /* between hzs_input_keep and hzs_input_plan_end */
    hzs_watch watch;
    hzs_watch planned; /* the file as plan() read it; the run must open that file, unchanged */
    uint64_t bytes;    /* read from fd since it was opened */
    /* what plan() read of a once-only input, handed out again by the run */
    unsigned char *kept;
    size_t nkept, kept_cap, kept_at;
    size_t keep_limit;
    const char *keep_what;
    /* compressed feeds (hzs_decode.c) */
    hzs_packing packing;
    unsigned char peek[8]; /* the first bytes, read to tell the packing, handed out first */
    size_t npeek, peek_at;
    const char *member;   /* option `member`, or the zip's only member */
    char *member_owned;   /* that member's name when taken from the archive */
    char *shown_member;   /* "shown:member", what messages show for a zip member */
    int64_t max_expanded; /* option max_expanded_bytes */
    int64_t max_ratio;    /* option max_expansion_ratio */
    struct archive *ar;   /* open while decompressing */
    unsigned char *raw;   /* libarchive's read buffer */
    uint64_t expanded;    /* decompressed bytes handed out */
    bool raw_failed;      /* a read error was reported already */
} hzs_input;

/* From the component's `path` option ("-": standard input).  Reads
 * nothing. */
/* Only the path and how messages show it, for a source that reads its
 * file its own way (a workbook is a zip of its own): it declares none of
 * HZS_INPUT_OPTIONS. */
void hzs_input_init_path(hzs_input *in, hz_component *c);
void hzs_input_init(hzs_input *in, hz_component *c);

/* In plan(), after registering `feed` (hz->feed(c, in->path)): open the
 * input, refuse a folder, a terminal, and a once-only input that an earlier
 * source reads already.  Each is a configuration error at `path` (exit 2
 * for validate, run --dry-run and run alike); one that cannot be opened
 * reads "source 'S' cannot open feed 'WRITTEN' (RESOLVED): REASON", the
 * same for every source built on this.  0, or -1 after reporting. */
int hzs_input_plan(hzs_input *in, uint32_t feed);

/* Planning reads what follows, at most about `limit` bytes (`what`, e.g.
 * "the header longer than max_field_bytes", names it in the error when
 * planning needs more of a once-only input). */
void hzs_input_keep(hzs_input *in, size_t limit, const char *what);

/* Planning is over: a regular file is closed (the run opens it again), a
 * once-only input stays open and its kept bytes are read again first. */
void hzs_input_plan_end(hzs_input *in);

/* At the run's first read: open a regular file again and start watching
 * it.  0, or -1 after reporting. */
int hzs_input_open(hzs_input *in);

/* Up to `n` bytes, fewer only at the end (fread's contract): the kept
 * bytes first, then the descriptor's.  -1 after reporting an error. */
ssize_t hzs_input_read(hzs_input *in, void *buf, size_t n);

/* The open input as a stdio stream (getline), for a source whose plan()
 * read nothing through hzs_input_read.  NULL after reporting. */
FILE *hzs_input_stream(hzs_input *in);

/* At the end of the data, having read `bytes` bytes (UINT64_MAX: not
 * counted): a regular file must have held still (hzs_watch).  0 or -1
 * after reporting. */
int hzs_input_check_end(hzs_input *in, uint64_t bytes);

/* The bytes handed out so far (decompressed for a compressed feed), for a
 * source's per-record limits. */
uint64_t hzs_input_data_bytes(const hzs_input *in);

/* Report progress: `done` counted by the source (ignored for a compressed
 * feed, whose compressed bytes read are reported) of the file's size. */
void hzs_input_progress(hzs_input *in, uint64_t done);

/* Close the input (destroy(), or after the end). */
void hzs_input_close(hzs_input *in);
void hzs_input_free(hzs_input *in);
/* Integer option `name` of component c, which must be positive (a limit):
 * into *out, 0; else a configuration error at its value ("'NAME' must be a
 * positive number of UNIT"), -1. */
int hzs_option_positive(hz_component *c, const char *name, const char *unit, uint64_t *out);
#endif
