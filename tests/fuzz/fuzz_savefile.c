/* fuzz_savefile.c: libFuzzer target for the xl save-file header decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "savefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xl_savefile_header h, h2;
    const uint8_t *config, *config2;
    const char *why = NULL;
    uint8_t *buf = NULL;
    size_t len = 0, clen, clen2;

    if (xl_savefile_decode_header(data, size, &h, &why)) {
        if (!why)
            abort();
        return 0;
    }
    if (size < XL_SAVEFILE_HEADER_LEN ||
        (h.mandatory_flags & ~XL_SAVEFILE_FLAGS_KNOWN) ||
        h.optional_data_len > XL_SAVEFILE_MAX_OPTDATA)
        abort();
    /* the optional data as restore reads it: only what the file holds */
    if (size - XL_SAVEFILE_HEADER_LEN < h.optional_data_len)
        return 0;
    if (xl_savefile_decode_optdata(&h, data + XL_SAVEFILE_HEADER_LEN, &config,
                                   &clen, &why))
        return 0;
    if (clen > h.optional_data_len ||
        (clen &&
         (config < data + XL_SAVEFILE_HEADER_LEN + 4 ||
          config + clen > data + XL_SAVEFILE_HEADER_LEN + h.optional_data_len)))
        abort();
    /* what we decode, we write back the same */
    if (xl_savefile_encode((const char *)config, clen,
                           !!(h.mandatory_flags & XL_SAVEFILE_FLAG_JSON), &buf,
                           &len))
        abort();
    if (xl_savefile_decode_header(buf, len, &h2, &why) ||
        xl_savefile_decode_optdata(&h2, buf + XL_SAVEFILE_HEADER_LEN, &config2,
                                   &clen2, &why) ||
        clen2 != clen || (clen && memcmp(config2, config, clen)))
        abort();
    free(buf);
    return 0;
}
