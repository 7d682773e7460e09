#include "base/tar_writer.h"

#include "base/tar_header.h"

namespace baton {
namespace {

constexpr size_t kUstarLinkSize = 100;
constexpr size_t kBlock = 512;

}  // namespace

Status TarWriter::AddDirectory(std::string_view path, int mode) {
  std::string with_slash(path);
  if (with_slash.empty() || with_slash.back() != '/') with_slash += '/';
  return AddEntry(with_slash, '5', mode, {}, {});
}

Status TarWriter::AddFile(std::string_view path, std::string_view content, int mode) {
  return AddEntry(path, '0', mode, content, {});
}

Status TarWriter::AddSymlink(std::string_view path, std::string_view target) {
  return AddEntry(path, '2', 0777, {}, target);
}

Status TarWriter::AddEntry(std::string_view path, char type, int mode, std::string_view content,
                           std::string_view link_target) {
  if (link_target.size() > kUstarLinkSize)
    return Error::Invalid("", "tar: link target too long for ustar: " + std::string(link_target));
  TarHeader header;
  header.path = std::string(path);
  header.link_target = std::string(link_target);
  header.type = type;
  header.mode = static_cast<uint32_t>(mode) & 07777;
  header.size = content.size();
  std::string blocks = TarHeaderBlocks(header);
  // This writer promises plain ustar: a header that needs PAX is refused.
  if (path.empty() || blocks.size() != kBlock)
    return Error::Invalid("", "tar: path too long for ustar: " + std::string(path));
  data_ += blocks;
  data_.append(content);
  data_ += TarPadding(content.size());
  return Status::Ok();
}

std::string TarWriter::Finish() const { return data_ + TarEnd(); }

}  // namespace baton
