#include "compose/load_files.h"

#include <utility>

#include "compose/canonical.h"
#include "compose/extends.h"
#include "compose/include.h"
#include "compose/merge.h"
#include "compose/paths.h"
#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

// One file's own stages, before it is merged with the others.
Status PrepareFile(ParsedFile& file, const FileStageContext& ctx) {
  if (ctx.interpolate) {
    if (auto s = Interpolate(file.root, LookupIn(ctx.environment)); !s.ok()) return s;
  }
  if (auto s = Canonicalise(file.root); !s.ok()) return s;
  ResolvePaths(file.root, PathContext{ctx.project_dir, ctx.home_dir});
  if (auto s = ResolveIncludes(file.root, file.path, ctx); !s.ok()) return s;
  return ResolveExtends(file.root, file.path, ctx);
}

// A build without a context builds the (sub-)project's directory, as compose
// sets it once a project's files are merged (an override file may still add
// a context) and before `include` hands the services to another project.
void DefaultBuildContexts(Node& root, const std::string& project_dir) {
  Node* services = root.Find("services");
  if (!services || !services->IsMapping()) return;
  for (MapEntry& service : services->entries()) {
    Node* build = service.value.IsMapping() ? service.value.Find("build") : nullptr;
    if (build && build->IsMapping() && !build->Find("context"))
      build->Set("context", Node::Scalar(project_dir, true, build->mark()));
  }
}

}  // namespace

std::string DisplayName(const std::string& path, const std::string& display_root) {
  if (display_root.empty()) return path;
  std::string root = display_root;
  if (root.back() != '/') root += '/';
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0)
    return path.substr(root.size());
  return path;
}

Lookup LookupIn(const Environment& environment) {
  return [&environment](std::string_view name) -> std::optional<std::string> {
    auto it = environment.find(std::string(name));
    if (it == environment.end()) return std::nullopt;
    return it->second;
  };
}

Result<ParsedFile> ReadComposeFile(const std::string& path, const FileStageContext& ctx) {
  const std::string name = DisplayName(path, ctx.display_root);
  auto text = ctx.files->Read(path);
  if (!text.ok()) {
    Error e = std::move(text).error();
    e.where = name;
    return e;
  }
  auto root = ParseYaml(*text, name);
  if (!root.ok()) return std::move(root).error();
  return ParsedFile{path, std::move(*root)};
}

Result<Node> LoadParsedFiles(std::vector<ParsedFile> parsed, const FileStageContext& ctx) {
  Node merged = Node::Mapping(parsed.empty() ? Mark{} : parsed.front().root.mark());
  for (size_t i = 0; i < parsed.size(); ++i) {
    ParsedFile& file = parsed[i];
    if (auto s = PrepareFile(file, ctx); !s.ok()) return s.error();
    // The first file is the base as it is (MergeFiles cleans its base), not
    // merged into an empty one, which would copy it.
    auto next = i == 0 ? MergeFiles(std::move(file.root), Node::Mapping())
                       : MergeFiles(std::move(merged), file.root);
    if (!next.ok()) return std::move(next).error();
    merged = std::move(*next);
  }
  DefaultBuildContexts(merged, ctx.project_dir);
  return merged;
}

Result<Node> LoadComposeFiles(const std::vector<std::string>& paths, const FileStageContext& ctx) {
  std::vector<ParsedFile> parsed;
  for (const std::string& path : paths) {
    auto file = ReadComposeFile(path, ctx);
    if (!file.ok()) return std::move(file).error();
    parsed.push_back(std::move(*file));
  }
  return LoadParsedFiles(std::move(parsed), ctx);
}

}  // namespace baton::compose
