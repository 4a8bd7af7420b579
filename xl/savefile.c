/* savefile.c: the xl save-file header, encoded and checked (savefile.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "savefile.h"

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v)); /* host order, as the reference */
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

int xl_savefile_encode(const char *config, size_t config_len, int json,
                       uint8_t **buf_r, size_t *len_r)
{
    uint32_t mandatory = XL_SAVEFILE_FLAG_STREAMV2;
    size_t optlen = 4 + config_len, len;
    uint8_t *buf;

    if (config_len > XL_SAVEFILE_MAX_OPTDATA - 4)
        return EINVAL;
    if (config_len && json)
        mandatory |= XL_SAVEFILE_FLAG_JSON;
    len = XL_SAVEFILE_HEADER_LEN + optlen;
    buf = calloc(1, len);
    if (!buf)
        return ENOMEM;
    memcpy(buf, XL_SAVEFILE_MAGIC, XL_SAVEFILE_MAGIC_LEN);
    put32(buf + 32, XL_SAVEFILE_BYTEORDER);
    put32(buf + 36, mandatory);
    put32(buf + 40, 0);
    put32(buf + 44, (uint32_t)optlen);
    put32(buf + XL_SAVEFILE_HEADER_LEN, (uint32_t)config_len);
    if (config_len)
        memcpy(buf + XL_SAVEFILE_HEADER_LEN + 4, config, config_len);
    *buf_r = buf;
    *len_r = len;
    return 0;
}

int xl_savefile_decode_header(const uint8_t *buf, size_t len,
                              xl_savefile_header *h_r, const char **why_r)
{
    uint32_t order, unknown;

    if (len < XL_SAVEFILE_HEADER_LEN) {
        *why_r = len ? "the file is too short for an xl save file header"
                     : "the file is empty";
        return EINVAL;
    }
    if (memcmp(buf, XL_SAVEFILE_MAGIC, XL_SAVEFILE_MAGIC_LEN)) {
        *why_r = "not an xl save file (wrong magic: corrupt, or written by "
                 "another tool)";
        return EINVAL;
    }
    order = get32(buf + 32);
    if (order != XL_SAVEFILE_BYTEORDER) {
        *why_r = order == 0x04030201u
                     ? "the file was saved on a host of the other byte order"
                     : "the file has a bad byte order mark";
        return EINVAL;
    }
    h_r->mandatory_flags = get32(buf + 36);
    h_r->optional_flags = get32(buf + 40);
    h_r->optional_data_len = get32(buf + 44);
    unknown = h_r->mandatory_flags & ~XL_SAVEFILE_FLAGS_KNOWN;
    if (unknown) {
        *why_r = "the file needs features this xl does not know (unknown "
                 "mandatory flags): saved by a newer xl?";
        return EINVAL;
    }
    if (h_r->optional_data_len > XL_SAVEFILE_MAX_OPTDATA) {
        *why_r = "the header claims an implausibly large config (corrupt "
                 "file?)";
        return EINVAL;
    }
    return 0;
}

int xl_savefile_decode_optdata(const xl_savefile_header *h, const uint8_t *opt,
                               const uint8_t **config_r, size_t *config_len_r,
                               const char **why_r)
{
    uint32_t n;

    *config_r = NULL;
    *config_len_r = 0;
    if (!h->optional_data_len)
        return 0;
    if (h->optional_data_len < 4) {
        *why_r = "the save file's config record is truncated";
        return EINVAL;
    }
    n = get32(opt);
    if (n > h->optional_data_len - 4) {
        *why_r = "the save file's config is truncated";
        return EINVAL;
    }
    *config_r = n ? opt + 4 : NULL;
    *config_len_r = n;
    return 0;
}
