#pragma once
// A minimal in-memory ustar archive writer: directories, regular files and
// symbolic links, owned by root, with mtime 0 so the same input always gives
// the same bytes (and so the same image digest).

#include <string>
#include <string_view>

#include "base/result.h"

namespace baton {

class TarWriter {
 public:
  // Paths are relative ("bin/busybox"). Each Add* returns kInvalid, and adds
  // nothing, when the path does not fit ustar's name fields (100 bytes, or a
  // 155-byte prefix plus a 100-byte name split at a '/') or a link target is
  // longer than 100 bytes.
  Status AddDirectory(std::string_view path, int mode);
  Status AddFile(std::string_view path, std::string_view content, int mode);
  Status AddSymlink(std::string_view path, std::string_view target);

  // The archive so far, closed by the two zero blocks tar expects. The writer
  // may be used again afterwards; entries keep accumulating.
  std::string Finish() const;

 private:
  Status AddEntry(std::string_view path, char type, int mode, std::string_view content,
                  std::string_view link_target);
  std::string data_;
};

}  // namespace baton
