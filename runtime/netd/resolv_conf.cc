#include "runtime/netd/resolv_conf.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// The host path `path` (absolute, as the host sees it) resolved to a path
// under `root`, following at most 8 links.
std::filesystem::path ResolveUnderRoot(const std::string& root, std::filesystem::path path) {
  namespace fs = std::filesystem;
  for (int i = 0; i < 8; ++i) {
    fs::path here = fs::path(root) / path.relative_path();
    std::error_code ec;
    if (!fs::is_symlink(here, ec)) return here;
    fs::path target = fs::read_symlink(here, ec);
    if (ec) return here;
    path = target.is_absolute() ? target : (path.parent_path() / target).lexically_normal();
  }
  return fs::path(root) / path.relative_path();
}

}  // namespace

std::vector<std::string> ParseResolvConfNameservers(std::string_view text) {
  std::vector<std::string> servers;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = Trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    constexpr std::string_view kKeyword = "nameserver";
    if (line.substr(0, kKeyword.size()) != kKeyword || line.size() == kKeyword.size() ||
        (line[kKeyword.size()] != ' ' && line[kKeyword.size()] != '\t')) {
      continue;
    }
    std::string_view value = Trim(line.substr(kKeyword.size()));
    value = value.substr(0, value.find_first_of(" \t#;"));
    if (ParseIpv4(value)) servers.emplace_back(value);
  }
  return servers;
}

std::vector<std::string> ReadHostNameservers(const std::string& root) {
  std::ifstream in(ResolveUnderRoot(root, "/etc/resolv.conf"));
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return ParseResolvConfNameservers(text.str());
}

}  // namespace baton::netd
