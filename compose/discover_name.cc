// The project name half of discover.h.

#include <filesystem>

#include "compose/discover.h"
#include "compose/interpolate.h"
#include "compose/scalar.h"

namespace baton::compose {
namespace {

// The `name:` of the last file that sets a non-empty one, as written.
const Node* NameInFiles(const std::vector<ParsedFile>& files) {
  const Node* found = nullptr;
  for (const ParsedFile& file : files) {
    const Node* name = file.root.IsMapping() ? file.root.Find("name") : nullptr;
    if (!name || !name->IsScalar() || name->scalar().empty()) continue;
    if (!name->quoted() && IsNullText(name->scalar())) continue;
    found = name;
  }
  return found;
}

// An explicit name must already be in normal form.
Result<std::string> CheckedExplicitName(const std::string& name, const std::string& source) {
  if (NormalizeProjectName(name) == name) return name;
  return Error::Invalid(source, "invalid project name \"" + name +
                                    "\": must consist only of lowercase alphanumeric characters, "
                                    "hyphens, and underscores as well as start with a letter or "
                                    "number");
}

Result<std::string> NameFromFile(const Node& name, const LoadOptions& options,
                                 const Environment& environment) {
  std::string text = name.scalar();
  const ModelPath at = ModelPath().Key("name");
  if (options.interpolate) {
    auto interpolated = InterpolateString(text, LookupIn(environment));
    if (!interpolated.ok()) {
      Error e = std::move(interpolated).error();
      e.where = Where(name, at);
      return e;
    }
    text = std::move(*interpolated);
  }
  if (options.normalize) text = NormalizeProjectName(text);
  if (text.empty()) return Error::Invalid(Where(name, at), "project name must not be empty");
  return text;
}

}  // namespace

Result<std::string> ChooseProjectName(const LoadOptions& options, const DiscoveredProject& project,
                                      const std::vector<ParsedFile>& files) {
  if (!options.project_name.empty())
    return CheckedExplicitName(options.project_name, "--project-name");
  auto from_env = project.environment.find("COMPOSE_PROJECT_NAME");
  if (from_env != project.environment.end() && !from_env->second.empty())
    return CheckedExplicitName(from_env->second, "COMPOSE_PROJECT_NAME");
  if (const Node* name = NameInFiles(files))
    return NameFromFile(*name, options, project.environment);
  std::string dir_name = std::filesystem::path(project.project_dir).filename().string();
  std::string name = NormalizeProjectName(dir_name);
  if (name.empty())
    return Error::Invalid(project.project_dir,
                          "project name must not be empty: the directory name \"" + dir_name +
                              "\" has no letters or digits; set one with --project-name or name:");
  return name;
}

}  // namespace baton::compose
