#pragma once
// Tar entry headers (POSIX ustar, with a PAX extended header when ustar's
// fields cannot hold a value). Streaming writers call these and send the
// content themselves: TarHeaderBlocks, then the bytes, then TarPadding; and
// TarEnd once at the end.

#include <cstdint>
#include <string>

namespace baton {

struct TarHeader {
  std::string path;         // relative, "/"-separated; a folder gets a trailing "/"
  std::string link_target;  // symlinks
  char type = '0';          // '0' file, '5' folder, '2' symlink
  uint32_t mode = 0644;     // permission bits, 07777
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;        // content bytes that follow (0 for folders and links)
  int64_t mtime = 0;        // seconds; negative values are written as 0
};

// One 512-byte ustar header, preceded by a PAX 'x' header and its records
// when the path fits neither the 100-byte name nor a 155-byte prefix plus
// name split at a "/", the link target is longer than 100 bytes, the size
// is 8 GiB or more, uid or gid exceed 7 octal digits, or the path or link
// target is not ASCII. Owner names are "root" for id 0, empty otherwise.
// The same header always gives the same bytes.
std::string TarHeaderBlocks(const TarHeader& header);

// The zeros that round `size` content bytes up to a 512-byte block.
std::string TarPadding(uint64_t size);

// The two zero blocks that end an archive.
std::string TarEnd();

}  // namespace baton
