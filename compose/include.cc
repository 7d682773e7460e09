#include "compose/include.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "compose/dotenv.h"
#include "compose/merge.h"
#include "compose/paths.h"

namespace baton::compose {
namespace {

// One `include` entry with its paths resolved.
struct IncludeEntry {
  std::vector<std::string> paths;  // the main file, then its overrides
  std::string project_dir;
  std::vector<std::string> env_files;
};

constexpr std::array<std::string_view, 6> kSections = {"services", "volumes", "networks",
                                                       "secrets",  "configs", "models"};

bool IsRemote(std::string_view path) { return path.starts_with("oci://") || IsRemoteContext(path); }

// A string, or a list of strings, with the model path of each.
std::vector<std::pair<const Node*, ModelPath>> Strings(const Node* value, const ModelPath& at) {
  std::vector<std::pair<const Node*, ModelPath>> out;
  if (!value || value->IsNull()) return out;
  if (!value->IsSequence()) return {{value, at}};
  for (size_t i = 0; i < value->items().size(); ++i)
    out.emplace_back(&value->items()[i], at.Index(i));
  return out;
}

Status ExpectString(const Node& node, const ModelPath& at) {
  if (node.IsScalar()) return Status::Ok();
  return Error::Invalid(Where(node, at), "must be a string");
}

Result<std::vector<std::string>> EntryPaths(const Node& item, const ModelPath& at,
                                            const FileStageContext& ctx) {
  const PathContext here{ctx.project_dir, ctx.home_dir};
  const Node* path = item.IsMapping() ? item.Find("path") : &item;
  const ModelPath path_at = item.IsMapping() ? at.Key("path") : at;
  std::vector<std::string> out;
  for (const auto& [node, node_at] : Strings(path, path_at)) {
    if (auto s = ExpectString(*node, node_at); !s.ok()) return s.error();
    if (IsRemote(node->scalar()))
      return Error::Invalid(Where(*node, node_at),
                            "remote includes are not supported: " + node->scalar());
    out.push_back(ResolvePath(node->scalar(), here));
    if (!ctx.files->IsFile(out.back()))
      return Error::NotFound(Where(*node, node_at),
                             "no such file: " + DisplayName(out.back(), ctx.display_root));
  }
  if (out.empty()) return Error::Invalid(Where(item, at), "include needs a path");
  return out;
}

Result<std::vector<std::string>> EntryEnvFiles(const Node& item, const ModelPath& at,
                                               const IncludeEntry& entry,
                                               const FileStageContext& ctx) {
  const PathContext here{ctx.project_dir, ctx.home_dir};
  FileSystem& files = *ctx.files;
  const Node* env_file = item.IsMapping() ? item.Find("env_file") : nullptr;
  std::vector<std::string> out;
  if (!env_file || env_file->IsNull()) {
    std::string dot_env = (std::filesystem::path(entry.project_dir) / ".env").string();
    if (files.IsFile(dot_env)) out.push_back(dot_env);
    return out;
  }
  for (const auto& [node, node_at] : Strings(env_file, at.Key("env_file"))) {
    if (auto s = ExpectString(*node, node_at); !s.ok()) return s.error();
    if (node->scalar() == "/dev/null") continue;
    std::string path = ResolvePath(node->scalar(), here);
    if (!files.IsFile(path))
      return Error::NotFound(Where(*node, node_at),
                             "env file not found: " + DisplayName(path, ctx.display_root));
    out.push_back(path);
  }
  return out;
}

Result<IncludeEntry> ReadEntry(const Node& item, const ModelPath& at, const FileStageContext& ctx) {
  if (!item.IsScalar() && !item.IsMapping())
    return Error::Invalid(Where(item, at), "include entry must be a string or a mapping");
  const PathContext here{ctx.project_dir, ctx.home_dir};
  IncludeEntry entry;
  auto paths = EntryPaths(item, at, ctx);
  if (!paths.ok()) return std::move(paths).error();
  entry.paths = std::move(*paths);
  const Node* dir = item.IsMapping() ? item.Find("project_directory") : nullptr;
  if (dir && !dir->IsNull()) {
    if (auto s = ExpectString(*dir, at.Key("project_directory")); !s.ok()) return s.error();
    entry.project_dir = ResolvePath(dir->scalar(), here);
  } else {
    entry.project_dir = std::filesystem::path(entry.paths.front()).parent_path().string();
  }
  auto env_files = EntryEnvFiles(item, at, entry, ctx);
  if (!env_files.ok()) return std::move(env_files).error();
  entry.env_files = std::move(*env_files);
  return entry;
}

// The included project's variables: the including project's, then its env
// files' for names not set yet. Later env files win over earlier ones.
Result<Environment> IncludedEnvironment(const IncludeEntry& entry, const FileStageContext& ctx) {
  Environment from_files;
  Lookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    auto it = ctx.environment.find(std::string(name));
    if (it != ctx.environment.end()) return it->second;
    auto own = from_files.find(std::string(name));
    if (own != from_files.end()) return own->second;
    return std::nullopt;
  };
  for (const std::string& path : entry.env_files) {
    auto text = ctx.files->Read(path);
    if (!text.ok()) return std::move(text).error();
    auto vars = ParseDotEnv(*text, DisplayName(path, ctx.display_root), lookup);
    if (!vars.ok()) return std::move(vars).error();
    for (auto& [name, value] : *vars) from_files[name] = value;
  }
  Environment env = ctx.environment;
  env.insert(from_files.begin(), from_files.end());
  return env;
}

Status CheckCycle(const std::vector<std::string>& chain, const IncludeEntry& entry,
                  const Node& item, const ModelPath& at, const std::string& display_root) {
  const std::string& next = entry.paths.front();
  if (std::find(chain.begin(), chain.end(), next) == chain.end()) return Status::Ok();
  std::string text;
  for (const std::string& file : chain) text += DisplayName(file, display_root) + " -> ";
  return Error::Invalid(Where(item, at),
                        "include cycle: " + text + DisplayName(next, display_root));
}

// Adds the included resources; the including file's definitions win.
Status Import(Node& root, const Node& imported) {
  for (std::string_view section : kSections) {
    const Node* from = imported.IsMapping() ? imported.Find(section) : nullptr;
    if (!from || !from->IsMapping() || from->entries().empty()) continue;
    Node* to = root.Find(section);
    if (!to || to->IsNull()) to = &root.Set(std::string(section), Node::Mapping(from->mark()));
    if (!to->IsMapping()) continue;  // Canonicalise has rejected this already
    for (const MapEntry& e : from->entries()) {
      Node* local = to->Find(e.key);
      if (!local) {
        to->entries().push_back(e);
        continue;
      }
      auto merged = MergeResource(section, e.key, e.value, *local);
      if (!merged.ok()) return std::move(merged).error();
      *local = std::move(*merged);
    }
  }
  return Status::Ok();
}

Status IncludeOne(Node& root, const Node& item, const ModelPath& at,
                  const std::vector<std::string>& chain, const FileStageContext& ctx) {
  auto entry = ReadEntry(item, at, ctx);
  if (!entry.ok()) return std::move(entry).error();
  if (auto s = CheckCycle(chain, *entry, item, at, ctx.display_root); !s.ok()) return s;
  auto env = IncludedEnvironment(*entry, ctx);
  if (!env.ok()) return std::move(env).error();
  FileStageContext sub = ctx;
  sub.project_dir = entry->project_dir;
  sub.environment = std::move(*env);
  sub.include_chain = chain;
  auto imported = LoadComposeFiles(entry->paths, sub);
  if (!imported.ok()) return std::move(imported).error();
  return Import(root, *imported);
}

}  // namespace

Status ResolveIncludes(Node& file_root, const std::string& file, const FileStageContext& ctx) {
  if (!file_root.IsMapping()) return Status::Ok();
  const Node* include = file_root.Find("include");
  if (!include) return Status::Ok();
  const Node entries = *include;  // Import may add keys to file_root
  file_root.Erase("include");
  if (entries.IsNull()) return Status::Ok();
  const ModelPath at = ModelPath().Key("include");
  if (!entries.IsSequence()) return Error::Invalid(Where(entries, at), "include must be a list");
  std::vector<std::string> chain = ctx.include_chain;
  chain.push_back(file);
  for (size_t i = 0; i < entries.items().size(); ++i) {
    if (auto s = IncludeOne(file_root, entries.items()[i], at.Index(i), chain, ctx); !s.ok())
      return s;
  }
  return Status::Ok();
}

}  // namespace baton::compose
