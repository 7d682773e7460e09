#include "runtime/content/copies.h"

#include <filesystem>
#include <system_error>

#include "compose/paths.h"
#include "runtime/content/content_pass.h"
#include "runtime/content/tree.h"

namespace baton::content {
namespace {

namespace fs = std::filesystem;

// Keeps the copy's tree under its digest and records the use. `where`
// locates a digest error (an unreadable file).
void AddCopy(ContentPass& pass, const std::string& where, Tree tree, planner::FileCopyUse copy,
             planner::ServiceContent& use) {
  Result<std::string> digest = TreeDigest(tree, Owners::kKeep);
  if (!digest.ok()) {
    pass.Fail(where, digest.error().ToString());
    return;
  }
  copy.digest = *digest;
  copy.bytes = tree.bytes();
  copy.files = tree.files();
  pass.out.copies.try_emplace(*digest, std::move(tree));
  use.copies.push_back(std::move(copy));
}

// What Docker would make for a missing source with create_host_path.
Tree EmptyFolder() {
  TreeEntry root;
  root.type = TreeEntry::Type::kDirectory;
  root.mode = 0755;
  Tree tree;
  tree.entries.push_back(std::move(root));
  return tree;
}

// The tree of a bind source in the project and the subpath to mount from
// it; nullopt after listing an error.
std::optional<std::pair<Tree, std::string>> ReadBindSource(ContentPass& pass,
                                                           const std::string& where,
                                                           const compose::VolumeMount& mount,
                                                           const std::string& source) {
  std::error_code ec;
  fs::file_status status = fs::status(source, ec);
  if (!fs::exists(status)) {
    if (mount.bind_create_host_path.value_or(false)) return std::pair(EmptyFolder(), "");
    pass.Fail(where, "bind source " + pass.Display(source) +
                         " does not exist (create_host_path: false)");
    return std::nullopt;
  }
  // Docker binds what a symlinked source points to.
  fs::path root = fs::is_symlink(fs::symlink_status(source, ec)) ? fs::canonical(source, ec)
                                                                : fs::path(source);
  Result<Tree> tree = ReadTree(root);
  if (!tree.ok()) {
    pass.Fail(where, tree.error().ToString());
    return std::nullopt;
  }
  for (const std::string& skipped : tree->skipped)
    pass.Note(where, pass.Display(source + "/" + skipped) +
                         " is not a file, folder or symlink and is not copied");
  bool folder = fs::is_directory(status);
  std::string subpath = folder || tree->entries.empty() ? "" : tree->entries.front().path;
  return std::pair(std::move(*tree), subpath);
}

void ReadBind(ContentPass& pass, const compose::Service& service, size_t index,
              planner::ServiceContent& use) {
  const compose::VolumeMount& mount = service.volumes[index];
  const std::string key = "volumes[" + std::to_string(index) + "]";
  const std::string source = compose::CleanPath(mount.source);
  const std::string shown = pass.Display(source);
  if (!pass.InProject(source)) {
    use.host_paths.push_back(source);
    pass.Note(ContentPass::ServicePath(service, key),
              source + " is a path on each host that runs " + service.name);
    return;
  }
  const std::string where = ContentPass::ServiceWhere(service, key);
  auto read = ReadBindSource(pass, where, mount, source);
  if (!read) return;
  planner::FileCopyUse copy;
  copy.subpath = read->second;
  copy.target = mount.target;
  copy.read_only = mount.read_only;
  copy.label = shown;
  if (!mount.read_only)
    pass.Note(ContentPass::ServicePath(service, key),
              shown + " is copied to each host; writes there stay on that host and are lost when " +
                  shown + " changes or on down");
  AddCopy(pass, where, std::move(read->first), std::move(copy), use);
}

const char kConfigSources[] = "baton reads configs from a file, an environment variable or content";

// Refuses what only swarm can serve; true when the config can be read.
bool ConfigReadable(ContentPass& pass, const std::string& key, const compose::FileObject& config) {
  auto where = [&](const std::string& field) {
    return ContentPass::ObjectWhere(config, "configs", key, field);
  };
  const std::string named = "config \"" + key + "\"";
  if (config.external) pass.Fail(where("external"), named + " is external; " + kConfigSources);
  if (!config.driver.empty())
    pass.Fail(where("driver"), named + " uses driver \"" + config.driver + "\"; " + kConfigSources);
  if (!config.template_driver.empty())
    pass.Fail(where("template_driver"),
              named + " uses template_driver \"" + config.template_driver + "\"; " + kConfigSources);
  return !config.external && config.driver.empty() && config.template_driver.empty();
}

std::optional<TreeEntry> ReadConfigEntry(ContentPass& pass, const std::string& key,
                                         const compose::FileObject& config) {
  if (!ConfigReadable(pass, key, config)) return std::nullopt;
  const std::string named = " required by config \"" + key + "\"";
  TreeEntry entry;
  entry.type = TreeEntry::Type::kFile;
  entry.path = "config";
  if (!config.file.empty()) {
    std::error_code ec;
    fs::file_status status = fs::status(config.file, ec);
    std::string problem = !fs::exists(status)          ? " does not exist"
                          : !fs::is_regular_file(status) ? " is not a file"
                                                         : "";
    if (!problem.empty()) {
      pass.Fail(ContentPass::ObjectWhere(config, "configs", key, "file"),
                "file " + pass.Display(config.file) + named + problem);
      return std::nullopt;
    }
    entry.source = config.file;
    entry.size = fs::file_size(config.file, ec);
    return entry;
  }
  if (!config.environment.empty()) {
    auto value = pass.options.environment.find(config.environment);
    if (value == pass.options.environment.end()) {
      pass.Fail(ContentPass::ObjectWhere(config, "configs", key, "environment"),
                "environment variable \"" + config.environment + "\"" + named + " is not set");
      return std::nullopt;
    }
    entry.generated = value->second;
  } else {
    entry.generated = config.content.value_or("");
  }
  entry.size = entry.generated->size();
  return entry;
}

// The config's entry, read on its first use only so that an error is listed
// once however many services use it.
const std::optional<TreeEntry>& ConfigEntry(ContentPass& pass, const std::string& key,
                                            const compose::FileObject& config) {
  auto cached = pass.configs.find(key);
  if (cached == pass.configs.end())
    cached = pass.configs.emplace(key, ReadConfigEntry(pass, key, config)).first;
  return cached->second;
}

std::string ConfigTarget(const compose::FileReference& ref) {
  if (ref.target.empty()) return "/" + ref.source;
  return ref.target.starts_with('/') ? ref.target : "/" + ref.target;
}

void ReadConfig(ContentPass& pass, const compose::Service& service, size_t index,
                planner::ServiceContent& use) {
  const compose::FileReference& ref = service.configs[index];
  const std::string where =
      ContentPass::ServiceWhere(service, "configs[" + std::to_string(index) + "]");
  auto config = pass.project.configs.find(ref.source);
  if (config == pass.project.configs.end()) {
    pass.Fail(where, "config \"" + ref.source + "\" is not defined");
    return;
  }
  std::optional<FileOwnership> owner = ReadOwnership(pass, where, ref);
  const std::optional<TreeEntry>& entry = ConfigEntry(pass, ref.source, config->second);
  if (!owner || !entry) return;
  Tree tree;
  tree.entries.push_back(*entry);
  tree.entries.back().uid = owner->uid;
  tree.entries.back().gid = owner->gid;
  tree.entries.back().mode = owner->mode;
  planner::FileCopyUse copy;
  copy.subpath = "config";
  copy.target = ConfigTarget(ref);
  copy.config = true;
  copy.label = "config " + ref.source;
  AddCopy(pass, where, std::move(tree), std::move(copy), use);
}

}  // namespace

void ReadBindCopies(ContentPass& pass, const compose::Service& service,
                    planner::ServiceContent& use) {
  for (size_t i = 0; i < service.volumes.size(); ++i)
    if (service.volumes[i].type == "bind") ReadBind(pass, service, i, use);
}

void ReadConfigCopies(ContentPass& pass, const compose::Service& service,
                      planner::ServiceContent& use) {
  for (size_t i = 0; i < service.configs.size(); ++i) ReadConfig(pass, service, i, use);
}

}  // namespace baton::content
