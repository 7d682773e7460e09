// Validate: runs every group of checks and returns the problem written
// first, so the same project always gives the same error.

#include "compose/validate.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "compose/validate_checks.h"

namespace baton::compose {
namespace validate {

void Report(Findings& findings, const Mark& mark, const ModelPath& at, std::string message) {
  findings.push_back({mark, Error::Invalid(Where(mark, at), std::move(message))});
}

}  // namespace validate

namespace {

using validate::Finding;

// True when the mark's file name (as the loader displays it: absolute, or
// relative to where the command runs) names the compose file `path`.
bool NamesFile(const std::string& shown, const std::string& path) {
  if (shown == path) return true;
  return shown.size() < path.size() && path.compare(path.size() - shown.size(), shown.size(),
                                                    shown) == 0 &&
         path[path.size() - shown.size() - 1] == '/';
}

// Files in load order, then files the project does not list (by name), then
// marks without a file; inside a file, by line and column.
auto Position(const Finding& f, const std::vector<std::string>& files) {
  std::string name = f.mark.file ? *f.mark.file : "";
  size_t rank = files.size() + (f.mark.file ? 0 : 1);
  for (size_t i = 0; i < files.size() && f.mark.file; ++i) {
    if (NamesFile(name, files[i])) {
      rank = i;
      break;
    }
  }
  return std::make_tuple(rank, name, f.mark.line, f.mark.column);
}

}  // namespace

Status Validate(const Project& project) {
  validate::Findings findings;
  for (const auto& [name, service] : project.services) {
    validate::CheckServiceSettings(service, findings);
    validate::CheckReferences(project, service, findings);
  }
  validate::CheckSecretSources(project, findings);
  validate::CheckDependencyCycles(project, findings);
  if (findings.empty()) return Status::Ok();
  auto first = std::min_element(findings.begin(), findings.end(),
                                [&](const Finding& a, const Finding& b) {
                                  return Position(a, project.compose_files) <
                                         Position(b, project.compose_files);
                                });
  return first->error;
}

}  // namespace baton::compose
