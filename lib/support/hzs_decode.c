/* Compressed feeds through libarchive (see hzs_decode.h).
 *
 * Streaming: libarchive pulls the file RAW_BLOCK bytes at a time through
 * hzs_input_raw_read and hands out decompressed bytes into the source's own
 * buffer, so memory stays bounded whatever the size (plus the decoder's
 * window: at most 64 MiB for xz -9, 128 MiB for zstd's default limit).  A
 * zip is read in libarchive's streaming mode (local headers, no seeking),
 * which needs no central directory and so works block by block too. */
#define _POSIX_C_SOURCE 200809L
#include "hzs_decode.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hzs_buf.h"

#define RAW_BLOCK 65536
/* The ratio guard waits for this much output: a tiny file of a repeated
 * header would pass any ratio on its first block. */
#define RATIO_GRACE (16u << 20)

hzs_packing hzs_packing_of(const unsigned char *p, size_t n) {
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return HZS_GZIP;
    if (n >= 6 && !memcmp(p,
                          "\xfd"
                          "7zXZ\0",
                          6))
        return HZS_XZ;
    if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4)) return HZS_ZSTD;
    if (n >= 3 && !memcmp(p, "BZh", 3)) return HZS_BZIP2;
    if (n >= 4 && !memcmp(p, "PK\x03\x04", 4)) return HZS_ZIP;
    return HZS_PLAIN;
}

const char *hzs_packing_name(hzs_packing k) {
    static const char *const names[] = {"plain", "gzip", "xz", "zstd", "bzip2", "zip"};
    return names[k];
}

static la_ssize_t read_raw(struct archive *a, void *data, const void **block) {
    hzs_input *in = data;
    ssize_t got = hzs_input_raw_read(in, in->raw, RAW_BLOCK);
    if (got < 0) {
        in->raw_failed = true; /* reported already */
        archive_set_error(a, -1, "read error");
        return -1;
    }
    *block = in->raw;
    return (la_ssize_t)got;
}

/* Only the detected packing's decoder: libarchive falls back to running
 * an external program for a format it was built without, and a feed
 * should never start one. */
static int support_filter(struct archive *a, hzs_packing k) {
    switch (k) {
    case HZS_GZIP: return archive_read_support_filter_gzip(a);
    case HZS_XZ: return archive_read_support_filter_xz(a);
    case HZS_ZSTD: return archive_read_support_filter_zstd(a);
    case HZS_BZIP2: return archive_read_support_filter_bzip2(a);
    default: return ARCHIVE_OK;
    }
}

static int fail(hzs_input *in, const char *what) {
    if (!in->raw_failed)
        hz->error(in->c, "%s: cannot read the %s data: %s: nothing is published", in->shown,
                  hzs_packing_name(in->packing), what);
    return -1;
}

static int open_archive(hzs_input *in) {
    struct archive *a = archive_read_new();
    if (!a) return fail(in, "out of memory");
    in->ar = a;
    if (!in->raw) in->raw = hz->xmalloc(RAW_BLOCK);
    int rc = in->packing == HZS_ZIP ? archive_read_support_format_zip_streamable(a)
                                    : archive_read_support_format_raw(a);
    if (rc != ARCHIVE_OK || support_filter(a, in->packing) != ARCHIVE_OK)
        return fail(in, "this libarchive cannot decompress it (built without it)");
    if (archive_read_open(a, in, NULL, read_raw, NULL) != ARCHIVE_OK)
        return fail(in, archive_error_string(a));
    return 0;
}

static bool is_dir(struct archive_entry *e) {
    return archive_entry_filetype(e) == AE_IFDIR;
}

/* Read the zip's headers to the end: the member to read (named, or the
 * only one), its encryption, and the list of members for the errors. */
static int check_zip(hzs_input *in) {
    hz_component *c = in->c;
    const hz_value *at = in->member ? hz->option(c, "member") : hz->option(c, "path");
    hzs_buf list = {0};
    size_t count = 0;
    char *only = NULL;
    bool found = false, encrypted = false;
    struct archive_entry *e;
    int rc;
    while ((rc = archive_read_next_header(in->ar, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        if (!name || is_dir(e)) continue;
        hzs_buf_printf(&list, "%s%s", count ? ", " : "", name);
        if (count++ == 0) only = hz->xstrdup(name);
        if (in->member && !strcmp(name, in->member) && !found) {
            found = true;
            encrypted = archive_entry_is_encrypted(e);
        }
        if (!in->member && count == 1) encrypted = archive_entry_is_encrypted(e);
    }
    int out = 0;
    if (rc != ARCHIVE_EOF) {
        out = fail(in, archive_error_string(in->ar));
    } else if (count == 0) {
        hz->config_error(c, at, "%s is a zip archive with no file in it", in->shown);
        out = -1;
    } else if (!in->member && count > 1) {
        hz->config_error(c, at, "%s is a zip archive of %zu files: name the one to read with 'member' (%s)",
                         in->shown, count, hzs_buf_str(&list));
        out = -1;
    } else if (in->member && !found) {
        hz->config_error(c, at, "%s holds no member '%s' (its members: %s)", in->shown, in->member,
                         hzs_buf_str(&list));
        out = -1;
    } else if (encrypted) {
        hz->config_error(c, at,
                         "%s: member '%s' is encrypted: harmonize reads no encrypted member; "
                         "unpack it yourself or ask for an unencrypted export",
                         in->shown, in->member ? in->member : only);
        out = -1;
    } else if (!in->member) {
        in->member = in->member_owned = only;
        only = NULL;
    }
    free(only);
    hzs_buf_free(&list);
    return out;
}

static void name_member(hzs_input *in) {
    if (in->packing != HZS_ZIP || !in->member || in->shown_member) return;
    hzs_buf b = {0};
    hzs_buf_printf(&b, "%s:%s", in->shown, in->member);
    in->shown_member = hz->xstrdup(hzs_buf_str(&b));
    hzs_buf_free(&b);
    in->shown = in->shown_member;
}

int hzs_decode_plan(hzs_input *in) {
    hz_component *c = in->c;
    if (in->max_expanded <= 0) {
        hz->config_error(c, hz->option(c, "max_expanded_bytes"), "'max_expanded_bytes' must be positive");
        return -1;
    }
    if (in->max_ratio <= 0) {
        hz->config_error(c, hz->option(c, "max_expansion_ratio"), "'max_expansion_ratio' must be positive");
        return -1;
    }
    if (in->member && in->packing != HZS_ZIP) {
        hz->config_error(c, hz->option(c, "member"),
                         "'member' names a file inside a zip archive, and %s is %s", in->shown,
                         in->packing == HZS_PLAIN ? "no archive" : "a single compressed stream");
        return -1;
    }
    if (in->packing != HZS_ZIP) return 0;
    if (in->once) {
        /* its members are known only once it is read to the end */
        hz->config_error(c, hz->option(c, "path"),
                         "%s is a zip archive, which cannot be read from a pipe or standard input: name "
                         "the file",
                         in->shown);
        return -1;
    }
    int rc = open_archive(in) == 0 && check_zip(in) == 0 ? 0 : -1;
    hzs_decode_end(in);
    if (rc == 0) name_member(in);
    if (rc == 0 && hzs_input_rewind(in) != 0) rc = -1;
    return rc;
}

/* Skip to the member plan() chose. */
static int find_member(hzs_input *in) {
    struct archive_entry *e;
    int rc;
    while ((rc = archive_read_next_header(in->ar, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        if (name && !is_dir(e) && !strcmp(name, in->member)) {
            if (archive_entry_is_encrypted(e)) return fail(in, "the member is encrypted");
            return 0;
        }
    }
    if (rc == ARCHIVE_EOF) return fail(in, "the member is no longer in it");
    return fail(in, archive_error_string(in->ar));
}

static int start(hzs_input *in) {
    if (open_archive(in) != 0) return -1;
    if (in->packing == HZS_ZIP) return find_member(in);
    struct archive_entry *e;
    int rc = archive_read_next_header(in->ar, &e);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        return fail(in, rc == ARCHIVE_EOF ? "it is empty" : archive_error_string(in->ar));
    return 0;
}

/* A bomb: too many bytes, or too many for the compressed bytes read. */
static int check_bomb(hzs_input *in) {
    if (in->expanded > (uint64_t)in->max_expanded) {
        hz->error(in->c,
                  "%s: decompresses to more than max_expanded_bytes (%lld bytes): a decompression bomb? "
                  "nothing is published; raise max_expanded_bytes if the feed is genuine",
                  in->shown, (long long)in->max_expanded);
        return -1;
    }
    if (in->expanded > RATIO_GRACE && in->expanded / (in->bytes ? in->bytes : 1) >= (uint64_t)in->max_ratio) {
        hz->error(in->c,
                  "%s: %llu bytes decompressed from %llu read, over max_expansion_ratio (%lld:1): a "
                  "decompression bomb? nothing is published; raise max_expansion_ratio if the feed is "
                  "genuine",
                  in->shown, (unsigned long long)in->expanded, (unsigned long long)in->bytes,
                  (long long)in->max_ratio);
        return -1;
    }
    return 0;
}

ssize_t hzs_decode_read(hzs_input *in, void *buf, size_t n) {
    if (!in->ar && start(in) != 0) return -1;
    unsigned char *out = buf;
    size_t got = 0;
    while (got < n) {
        la_ssize_t r = archive_read_data(in->ar, out + got, n - got);
        if (r < 0) return fail(in, archive_error_string(in->ar));
        if (r == 0) break;
        got += (size_t)r;
        in->expanded += (uint64_t)r;
        if (check_bomb(in) != 0) return -1;
        if (in->once) break; /* what the pipe has given so far (see hzs_input_read) */
    }
    return (ssize_t)got;
}

void hzs_decode_end(hzs_input *in) {
    if (in->ar) archive_read_free(in->ar);
    in->ar = NULL;
}
