#include "compose/paths.h"

#include <vector>

namespace baton::compose {
namespace {

// Rewrites a string scalar that holds a local path.
void ResolveScalar(Node* node, const PathContext& ctx) {
  if (!node || !node->IsScalar()) return;
  node->set_scalar(ResolvePath(node->scalar(), ctx));
}

// Like ResolveScalar, but leaves builder references and URLs alone.
void ResolveContext(Node* node, const PathContext& ctx) {
  if (!node || !node->IsScalar() || IsRemoteContext(node->scalar())) return;
  node->set_scalar(ResolvePath(node->scalar(), ctx));
}

void ResolveBuild(Node& build, const PathContext& ctx) {
  ResolveContext(build.Find("context"), ctx);
  if (Node* contexts = build.Find("additional_contexts"); contexts && contexts->IsMapping())
    for (MapEntry& e : contexts->entries()) ResolveContext(&e.value, ctx);
  // ssh: id -> socket or key file; `default: null` uses the agent.
  if (Node* ssh = build.Find("ssh"); ssh && ssh->IsMapping())
    for (MapEntry& e : ssh->entries()) ResolveScalar(&e.value, ctx);
}

void ResolveVolumes(Node& volumes, const PathContext& ctx) {
  for (Node& volume : volumes.items()) {
    if (!volume.IsMapping()) continue;
    const Node* type = volume.Find("type");
    if (type && type->IsScalar() && type->scalar() == "bind")
      ResolveScalar(volume.Find("source"), ctx);
  }
}

template <typename Each>
void ForEachItem(Node* list, Each each) {
  if (!list || !list->IsSequence()) return;
  for (Node& item : list->items()) each(item);
}

// A local-driver volume with `o: bind` mounts `device`, a host path.
void ResolveVolumeDevice(Node& volume, const PathContext& ctx) {
  const Node* driver = volume.Find("driver");
  Node* opts = volume.Find("driver_opts");
  if (!driver || driver->scalar() != "local" || !opts || !opts->IsMapping()) return;
  const Node* o = opts->Find("o");
  if (o && o->IsScalar() && o->scalar() == "bind") ResolveScalar(opts->Find("device"), ctx);
}

template <typename Each>
void ForEachEntry(Node& root, std::string_view key, Each each) {
  Node* section = root.Find(key);
  if (!section || !section->IsMapping()) return;
  for (MapEntry& e : section->entries())
    if (e.value.IsMapping()) each(e.value);
}

}  // namespace

std::string CleanPath(std::string_view path) {
  bool rooted = !path.empty() && path[0] == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

std::string ResolvePath(std::string_view path, const PathContext& ctx) {
  if (path.empty()) return "";
  std::string p(path);
  // compose expands any leading "~" to the home directory ("~x" too).
  if (p[0] == '~' && !ctx.home_dir.empty()) p = ctx.home_dir + "/" + p.substr(1);
  if (p[0] != '/') p = ctx.base_dir + "/" + p;
  return CleanPath(p);
}

bool IsRemoteContext(std::string_view context) {
  // docker-image://, oci-layout:// and other builder-specific sources.
  if (context.find("://") != std::string_view::npos) return true;
  for (std::string_view prefix : {"service:", "git@", "github.com/"})
    if (context.starts_with(prefix)) return true;
  return false;
}

void ResolveServicePaths(Node& service, const PathContext& ctx) {
  if (!service.IsMapping()) return;
  if (Node* build = service.Find("build"); build && build->IsMapping()) ResolveBuild(*build, ctx);
  ForEachItem(service.Find("env_file"), [&](Node& item) {
    if (item.IsMapping()) ResolveScalar(item.Find("path"), ctx);
  });
  ForEachItem(service.Find("label_file"), [&](Node& item) { ResolveScalar(&item, ctx); });
  if (Node* extends = service.Find("extends"); extends && extends->IsMapping())
    ResolveContext(extends->Find("file"), ctx);
  if (Node* volumes = service.Find("volumes"); volumes && volumes->IsSequence())
    ResolveVolumes(*volumes, ctx);
  if (Node* develop = service.Find("develop"); develop && develop->IsMapping())
    ForEachItem(develop->Find("watch"), [&](Node& watch) {
      if (watch.IsMapping()) ResolveScalar(watch.Find("path"), ctx);
    });
}

void ResolvePaths(Node& file_root, const PathContext& ctx) {
  if (!file_root.IsMapping()) return;
  ForEachEntry(file_root, "services", [&](Node& s) { ResolveServicePaths(s, ctx); });
  ForEachEntry(file_root, "volumes", [&](Node& v) { ResolveVolumeDevice(v, ctx); });
  ForEachEntry(file_root, "secrets", [&](Node& s) { ResolveScalar(s.Find("file"), ctx); });
  ForEachEntry(file_root, "configs", [&](Node& c) { ResolveScalar(c.Find("file"), ctx); });
}

}  // namespace baton::compose
