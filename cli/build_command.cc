#include "cli/build_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_command.h"
#include "cli/plan_output.h"
#include "cli/record_context.h"

namespace baton::cli {
namespace {

struct BuildFlags {
  std::vector<std::string> services;
  bool build_local = false;
  bool no_cache = false;
};

UpFlags ImagesOnly(const BuildFlags& flags) {
  UpFlags up;
  up.services = flags.services;
  up.build_local = flags.build_local;
  up.no_cache = flags.no_cache;
  up.images_only = true;
  up.keep_orphans = true;  // an image-only plan removes nothing
  return up;
}

// Plans and applies the image-only plan while holding the deploy lock.
int BuildLocked(DeployContext& context, const BuildFlags& flags) {
  // The hosts to build and push for follow the recorded counts (a `baton
  // scale` wins over the file's while that is unchanged), as `up` would.
  if (Status read = ReadDesiredRecord(context);
      !read.ok() && read.error().kind != Error::Kind::kUnreachable)
    return Fail(read.error());
  auto planned = PlanUp(context, ImagesOnly(flags));
  if (!planned.ok()) return Fail(planned.error());
  WarnUnreachable(planned->actual, "its images are not built or pushed");
  const planner::Plan& plan = planned->plan;
  PrintNotes(plan);
  if (!plan.errors.empty()) return Fail(PlanErrors(plan));
  if (plan.empty()) {
    std::printf("nothing to build\n");
    return 0;
  }
  ApplySettings settings;
  settings.no_cache = flags.no_cache;
  return ApplyAndSummarise(context, plan, settings, std::move(planned->local_engine),
                           "--build-local");
}

int RunBuild(const ProjectOptions& project, const HostOptions& hosts, const BuildFlags& flags) {
  auto context = OpenDeployContext(project, hosts);
  if (!context.ok()) return Fail(context.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = BuildLocked(*context, flags);
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  return code;
}

}  // namespace

void AddBuildCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand(
      "build", "Build the services' images and push them to the hosts that run them");
  command->fallthrough();
  auto flags = std::make_shared<BuildFlags>();
  command->add_flag("--build-local", flags->build_local,
                    "Build on the local engine and push to the hosts");
  command->add_flag("--no-cache", flags->no_cache,
                    "Build again without the engine's cache, and push again");
  command->add_option("services", flags->services, "Only these services' images")
      ->type_name("SERVICE");
  command->callback(
      [project, hosts, flags, &run] { run = [=] { return RunBuild(*project, *hosts, *flags); }; });
}

}  // namespace baton::cli
