// The loader pipeline, top to bottom (the stages are listed in load.h; the
// per-file stages are in load_files.cc).

#include "compose/load.h"

#include <utility>

#include "compose/discover.h"
#include "compose/load_files.h"
#include "compose/normalise.h"
#include "compose/profiles.h"
#include "compose/validate.h"

namespace baton::compose {
namespace {

Result<std::vector<ParsedFile>> ReadFiles(const std::vector<std::string>& paths,
                                          const FileStageContext& ctx) {
  std::vector<ParsedFile> parsed;
  for (const std::string& path : paths) {
    auto file = ReadComposeFile(path, ctx);
    if (!file.ok()) return std::move(file).error();
    parsed.push_back(std::move(*file));
  }
  return parsed;
}

FileStageContext ContextFor(const LoadOptions& options, const DiscoveredProject& project,
                            FileSystem& files) {
  FileStageContext ctx;
  ctx.files = &files;
  ctx.project_dir = project.project_dir;
  auto home = project.environment.find("HOME");
  ctx.home_dir = !options.home_dir.empty()           ? options.home_dir
                 : home != project.environment.end() ? home->second
                                                     : "";
  ctx.display_root = options.working_dir.lexically_normal().string();
  ctx.interpolate = options.interpolate;
  ctx.environment = project.environment;
  return ctx;
}

// Compose refuses a project whose files say nothing (`version:` alone counts
// as nothing: compose drops it).
Status CheckNotEmpty(const Node& root, const std::string& first_file) {
  for (const MapEntry& e : root.entries())
    if (e.key != "version") return Status::Ok();
  return Error::Invalid(first_file, "empty compose file");
}

}  // namespace

Result<Project> Load(const LoadOptions& options, FileSystem& files) {
  auto found = DiscoverProject(options, files);
  if (!found.ok()) return std::move(found).error();
  FileStageContext ctx = ContextFor(options, *found, files);
  auto parsed = ReadFiles(found->files, ctx);
  if (!parsed.ok()) return std::move(parsed).error();
  auto name = ChooseProjectName(options, *found, *parsed);
  if (!name.ok()) return std::move(name).error();
  // Compose gives files the project name to interpolate (${COMPOSE_PROJECT_NAME}).
  ctx.environment["COMPOSE_PROJECT_NAME"] = *name;

  auto root = LoadParsedFiles(std::move(*parsed), ctx);
  if (!root.ok()) return std::move(root).error();
  if (auto s = CheckNotEmpty(*root, DisplayName(found->files.front(), ctx.display_root)); !s.ok())
    return s.error();
  const Node* written = root->Find("name");
  root->Set("name", Node::Scalar(*name, true, written ? written->mark() : Mark{}));

  NormaliseOptions normalise{*name, found->project_dir, LookupIn(ctx.environment),
                             options.normalize};
  auto project = Normalise(*root, normalise);
  if (!project.ok()) return std::move(project).error();
  project->compose_files = found->files;
  if (auto s = ApplyProfiles(*project, found->profiles); !s.ok()) return s.error();
  // After profiles: compose never reads the env files of disabled services.
  if (auto s = ResolveEnvironment(*project, normalise, files); !s.ok()) return s.error();
  if (options.check_consistency) {
    if (auto s = Validate(*project); !s.ok()) return s.error();
  }
  return project;
}

}  // namespace baton::compose
