#include "cli/deploy_context.h"

#include <utility>

#include "base/file_system.h"
#include "compose/discover.h"
#include "compose/load.h"
#include "planner/cluster_subnets.h"
#include "runtime/netd_image.h"

namespace baton::cli {
namespace {

// Selects the hosts and connects to them. `default_dir` is where
// baton.hosts.yaml is looked for ("" = the current directory).
Status OpenHosts(const HostOptions& hosts, const std::filesystem::path& default_dir,
                 DeployContext& context) {
  auto inventory = SelectHostsFromProcess(hosts, default_dir);
  if (!inventory.ok()) return inventory.error();
  auto ssh = MakeSshOptions(hosts, inventory->settings);
  if (!ssh.ok()) return ssh.error();
  context.pool = runtime::HostPool::Open(inventory->hosts, *ssh);
  context.cluster = inventory->cluster;
  context.inventory = std::move(*inventory);
  return Status::Ok();
}

// The variables the compose files were interpolated with, which secrets and
// configs with an `environment:` source read; COMPOSE_PROJECT_NAME is set
// to the project's name as compose sets it.
content::ContentOptions ContentOptionsFor(const compose::LoadOptions& options,
                                          const compose::Project& project, FileSystem& files) {
  content::ContentOptions content;
  auto discovered = compose::DiscoverProject(options, files);
  content.environment = discovered.ok() ? discovered->environment : options.environment;
  content.environment["COMPOSE_PROJECT_NAME"] = project.name;
  return content;
}

Result<DeployContext> OpenLoaded(const compose::LoadOptions& options, const HostOptions& hosts) {
  RealFileSystem files;
  auto project = compose::Load(options, files);
  if (!project.ok()) return project.error();
  auto content = std::make_unique<content::ProjectContent>(
      content::ReadProjectContent(*project, ContentOptionsFor(options, *project, files)));
  auto desired = planner::MakeDesiredState(*project, content->digests);
  if (!desired.ok()) return desired.error();
  DeployContext context;
  context.project = std::move(*project);
  context.desired = std::move(*desired);
  context.content = std::move(content);
  if (auto opened = OpenHosts(hosts, context.project.working_dir, context); !opened.ok())
    return opened.error();
  return context;
}

// -p, else $COMPOSE_PROJECT_NAME; "" when neither names the project.
std::string NameFromFlags(const compose::LoadOptions& options) {
  if (!options.project_name.empty()) return options.project_name;
  auto env = options.environment.find("COMPOSE_PROJECT_NAME");
  return env == options.environment.end() ? "" : env->second;
}

}  // namespace

Result<DeployContext> OpenDeployContext(const ProjectOptions& project, const HostOptions& hosts) {
  auto options = LoadOptionsFromProcess(project);
  if (!options.ok()) return options.error();
  return OpenLoaded(*options, hosts);
}

Result<DeployContext> OpenDeployContextOrName(const ProjectOptions& project,
                                              const HostOptions& hosts) {
  auto options = LoadOptionsFromProcess(project);
  if (!options.ok()) return options.error();
  std::string name = NameFromFlags(*options);
  if (name.empty() || !options->files.empty()) return OpenLoaded(*options, hosts);
  RealFileSystem files;
  auto discovered = compose::DiscoverProject(*options, files);
  if (discovered.ok() || discovered.error().kind != Error::Kind::kNotFound)
    return OpenLoaded(*options, hosts);
  if (compose::NormalizeProjectName(name) != name)
    return Error::Invalid("", "invalid project name \"" + name +
                                  "\": use only lower case letters, digits, '-' and '_'");
  DeployContext context;
  context.loaded = false;
  context.project.name = name;
  context.desired.project = name;
  if (auto opened = OpenHosts(hosts, "", context); !opened.ok()) return opened.error();
  return context;
}

Status PrepareNetdDeployment(DeployContext& context) {
  bool spans = false;
  for (const planner::NetworkSpec& network : context.desired.networks)
    spans = spans || planner::SpansHosts(network.network);
  if (!spans) return Status::Ok();
  auto binary = runtime::FindNetdBinaryFromEnvironment();
  if (!binary.ok()) return binary.error();
  auto image = runtime::ReadNetdImage(*binary);
  if (!image.ok()) return image.error();
  auto netd = runtime::PrepareNetd(std::move(*image), context.cluster, context.inventory.hosts);
  if (!netd.ok()) return netd.error();
  context.netd = std::move(*netd);
  return Status::Ok();
}

}  // namespace baton::cli
