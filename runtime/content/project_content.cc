// One pass over the enabled services, in name order, each read in the order
// its keys are sent: build, bind mounts, configs, secrets. Errors are
// gathered, never returned early, so a plan lists every missing file at once.

#include "runtime/content/project_content.h"

#include "runtime/content/build_context.h"
#include "runtime/content/content_pass.h"
#include "runtime/content/copies.h"
#include "runtime/content/secrets.h"

namespace baton::content {

ProjectContent ReadProjectContent(const compose::Project& project,
                                  const ContentOptions& options) {
  ProjectContent content;
  ContentPass pass{project, options, content, {}, {}};
  for (const auto& [name, service] : project.services) {
    planner::ServiceContent use;
    if (service.build) use.build = ReadBuild(pass, service);
    ReadBindCopies(pass, service, use);
    ReadConfigCopies(pass, service, use);
    ReadSecrets(pass, service, use);
    if (!use.empty()) content.digests.emplace(name, std::move(use));
  }
  return content;
}

}  // namespace baton::content
