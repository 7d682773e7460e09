#pragma once
// Reading the regular files out of a tar archive held in memory: what the
// engine's GET /containers/{id}/archive answers. Understands ustar headers,
// PAX 'x' records (path, size) and GNU long names ('L'), which covers what
// Go's archive/tar (the engine's writer) and base/tar_writer.h produce.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton {

// Regular files by path ("baton/desired.json": a leading "./" or "/" is
// dropped). Directories, links and other entries are skipped. kInvalid with
// where "tar" when a header's checksum is wrong, an entry runs past the end,
// or the files together exceed `max_bytes`.
Result<std::map<std::string, std::string>> ReadTarFiles(std::string_view tar, size_t max_bytes);

}  // namespace baton
