#include "runtime/content/content_pass.h"

#include <array>
#include <cstdio>

#include "compose/node.h"
#include "compose/service_where.h"

namespace baton::content {

bool ContentPass::InProject(const std::string& path) const {
  const std::string& root = project.working_dir;
  if (path == root) return true;
  // "/" as the project folder holds every absolute path.
  std::string prefix = root.ends_with('/') ? root : root + "/";
  return path.starts_with(prefix);
}

std::string ContentPass::Display(const std::string& path) const {
  if (path == project.working_dir) return ".";
  if (!InProject(path)) return path;
  size_t cut = project.working_dir.ends_with('/') ? project.working_dir.size()
                                                   : project.working_dir.size() + 1;
  return "./" + path.substr(cut);
}

std::string ContentPass::ServicePath(const compose::Service& service, const std::string& key) {
  return compose::ServicePath(service).Key(key).str();
}

std::string ContentPass::ServiceWhere(const compose::Service& service, const std::string& key,
                                      const std::string& mark_key) {
  return compose::Where(compose::ServiceKeyMark(service, mark_key.empty() ? key : mark_key),
                        compose::ServicePath(service).Key(key));
}

std::string ContentPass::ObjectWhere(const compose::FileObject& object, const std::string& kind,
                                     const std::string& key, const std::string& field) {
  compose::ModelPath at = compose::ModelPath().Key(kind).Key(key);
  return compose::Where(object.mark, field.empty() ? at : at.Key(field));
}

void ContentPass::Fail(const std::string& where, const std::string& message) {
  out.errors.push_back(where.empty() ? message : where + ": " + message);
}

void ContentPass::Note(const std::string& where, const std::string& message) {
  out.notes.push_back(where.empty() ? message : where + ": " + message);
}

std::string SizeText(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  constexpr std::array<const char*, 4> kUnits = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f %s", value, kUnits[unit]);
  return text.data();
}

namespace {

std::optional<uint32_t> ParseOwnerId(const std::string& text) {
  if (text.empty()) return 0;
  if (text.size() > 10) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(value);
}

}  // namespace

std::optional<FileOwnership> ReadOwnership(ContentPass& pass, const std::string& where,
                                           const compose::FileReference& ref) {
  std::optional<uint32_t> uid = ParseOwnerId(ref.uid);
  std::optional<uint32_t> gid = ParseOwnerId(ref.gid);
  if (!uid) pass.Fail(where, "uid \"" + ref.uid + "\" is not a number");
  if (!gid) pass.Fail(where, "gid \"" + ref.gid + "\" is not a number");
  if (!uid || !gid) return std::nullopt;
  return FileOwnership{*uid, *gid, ref.mode.value_or(0444) & 07777};
}

}  // namespace baton::content
