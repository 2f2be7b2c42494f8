/*
 * An empty ICU data library, shipped instead of Qt's 32 MB libicudata.so.<major> (see README.md).
 *
 * This is ICU's own "stubdata" (icu4c/source/stubdata/stubdata.cpp): a common-data header whose
 * table of contents lists no items. ICU then looks for data files (ICU_DATA) and, finding none,
 * returns U_MISSING_RESOURCE_ERROR; Qt Core falls back to its built-in locale and Unicode data.
 * Web pages are not affected: QtWebEngine's Chromium uses its own ICU and icudtl.dat.
 * Build: cc -shared -fPIC -DICU_MAJOR=73 -Wl,-soname,libicudata.so.73 -o libicudata.so.73 this.c
 */
#include <stdint.h>

#ifndef ICU_MAJOR
#error "define ICU_MAJOR, e.g. -DICU_MAJOR=73"
#endif
#define ENTRY_(major) icudt##major##_dat
#define ENTRY(major) ENTRY_(major)

typedef struct {
    uint16_t headerSize;
    uint8_t magic1, magic2;
    struct {  /* UDataInfo */
        uint16_t size, reservedWord;
        uint8_t isBigEndian, charsetFamily, sizeofUChar, reservedByte;
        uint8_t dataFormat[4], formatVersion[4], dataVersion[4];
    } info;
    char padding[8];
    uint32_t count, reserved;
    struct { uint32_t nameOffset, dataOffset; } toc[1];
} IcuCommonData;

__attribute__((visibility("default"), aligned(16)))
const IcuCommonData ENTRY(ICU_MAJOR) = {
    32, 0xda, 0x27,
    {20, 0, 0, 0 /* ASCII */, 2, 0, {0x54, 0x6f, 0x43, 0x50} /* "ToCP" */, {1, 0, 0, 0}, {0, 0, 0, 0}},
    {0}, 0, 0, {{0, 0}},
};
