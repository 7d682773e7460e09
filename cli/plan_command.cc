#include "cli/plan_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <set>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/plan_output.h"
#include "cli/record_context.h"
#include "planner/rolling_update.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

using planner::ActionKind;
using planner::Plan;

Status CheckServices(const planner::DesiredState& desired, const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (desired.FindService(name) == nullptr)
      return Error::NotFound("", "no such service \"" + name + "\"");
  return Status::Ok();
}

// The plan less its pulls (`--pull never`): a container whose image is
// missing fails at create with the engine's error.
Plan WithoutPulls(Plan plan) {
  return planner::WithoutActions(std::move(plan), [](const planner::Action& action) {
    return action.kind == ActionKind::kPullImage;
  });
}

// The images built for the project's services that `engine` has (by their
// digest tags); an image it cannot inspect counts as absent.
std::set<std::string> BuiltImagesOn(runtime::DockerClient& engine,
                                    const planner::DesiredState& desired) {
  std::set<std::string> present;
  for (const planner::ServiceSpec& service : desired.services)
    if (service.content.build && engine.InspectImage(service.content.build->tag).ok())
      present.insert(service.content.build->tag);
  return present;
}

// `build --no-cache`: the built images count as missing everywhere.
void ForgetBuiltImages(const planner::DesiredState& desired, planner::ActualState& actual) {
  for (const planner::ServiceSpec& service : desired.services) {
    if (!service.content.build) continue;
    for (planner::HostState& host : actual.hosts) host.images.erase(service.content.build->tag);
    actual.local_images.erase(service.content.build->tag);
  }
}

planner::UpOptions MakeUpOptions(const DeployContext& context, const UpFlags& flags) {
  planner::UpOptions options;
  options.services = flags.services;
  options.push = flags.push;
  options.always_pull = flags.pull == "always";
  options.remove_orphans = !flags.keep_orphans;
  options.cluster_subnet = context.cluster.subnet;
  options.slice_prefix = context.cluster.slice_prefix;
  if (context.netd) options.netd_hashes = context.netd->SpecHashes();
  options.build_local = flags.build_local;
  options.images_only = flags.images_only;
  return options;
}

void AddContentFindings(const DeployContext& context, Plan& plan) {
  if (context.content == nullptr) return;
  plan.errors.insert(plan.errors.end(), context.content->errors.begin(),
                     context.content->errors.end());
  plan.notes.insert(plan.notes.end(), context.content->notes.begin(),
                    context.content->notes.end());
}

int RunPlan(const ProjectOptions& project, const HostOptions& hosts, const UpFlags& flags,
            const std::string& format) {
  auto context = OpenDeployContext(project, hosts);
  if (!context.ok()) return Fail(context.error());
  // The counts `up` would deploy: the record's where they win (no write).
  // With no host reachable there is no record to read, and the plan says so.
  if (Status read = ReadDesiredRecord(*context);
      !read.ok() && read.error().kind != Error::Kind::kUnreachable)
    return Fail(read.error());
  auto planned = PlanUp(*context, flags);
  if (!planned.ok()) return Fail(planned.error());
  // How each changed service's running replicas would be replaced.
  planner::RollingUpdate update = planner::PlanRollingUpdate(
      planned->plan, context->desired, planned->actual, planned->placement);
  for (const planner::ServiceRoll& roll : update.rolls)
    for (std::string& line : planner::DescribeRoll(roll))
      planned->plan.notes.push_back(std::move(line));
  std::map<std::string, std::string> errors = HostErrors(planned->actual);
  std::map<std::string, std::string> labels = CopyLabels(context->desired);
  if (format == "json") {
    std::fputs(RenderPlanJson(planned->plan, errors, labels).c_str(), stdout);
  } else {
    PlanTextOptions options{UseColor(STDOUT_FILENO), errors, labels};
    std::fputs(RenderPlanText(planned->plan, options).c_str(), stdout);
  }
  return planned->plan.unplaced.empty() && planned->plan.errors.empty() ? 0 : 1;
}

}  // namespace

Result<PlannedUp> PlanUp(DeployContext& context, const UpFlags& flags) {
  if (auto known = CheckServices(context.desired, flags.services); !known.ok())
    return known.error();
  if (auto netd = PrepareNetdDeployment(context); !netd.ok()) return netd.error();
  PlannedUp planned;
  if (flags.build_local) {
    auto engine = ConnectLocalEngine("--build-local");
    if (!engine.ok()) return engine.error();
    planned.local_engine = std::move(*engine);
  }
  planned.actual = runtime::ObserveProject(context.desired, context.pool);
  if (planned.local_engine)
    planned.actual.local_images = BuiltImagesOn(*planned.local_engine, context.desired);
  if (flags.no_cache) ForgetBuiltImages(context.desired, planned.actual);
  // The record's owners keep a returning host's stale copies out, and its
  // volumes on unreachable hosts keep their services pinned there.
  planner::PlacementHints hints;
  if (context.record) hints = planner::HintsFromRecord(context.record->record, planned.actual);
  planned.placement = planner::Place(context.desired, planned.actual, hints);
  planned.plan = planner::MakeUpPlan(context.desired, planned.actual, planned.placement,
                                     MakeUpOptions(context, flags));
  if (flags.pull == "never") planned.plan = WithoutPulls(std::move(planned.plan));
  AddContentFindings(context, planned.plan);
  return planned;
}

std::map<std::string, std::string> HostErrors(const planner::ActualState& actual) {
  std::map<std::string, std::string> errors;
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) errors[host.name] = host.error;
  return errors;
}

void AddUpFlags(CLI::App& command, UpFlags& flags) {
  command.add_flag("--push", flags.push,
                   "Stream images from the local engine to the hosts that lack them");
  command.add_option("--pull", flags.pull, "Pull images: always, missing (default) or never")
      ->check(CLI::IsMember({"always", "missing", "never"}))
      ->type_name("POLICY");
  command.add_flag("--keep-orphans", flags.keep_orphans,
                   "Keep the containers of services no longer in the compose file");
  command.add_flag("--build-local", flags.build_local,
                   "Build images on the local engine and push them to the hosts");
  command.add_option("services", flags.services, "Only these services and their dependencies")
      ->type_name("SERVICE");
}

void AddPlanCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand("plan", "Show what `up` would change, per host");
  command->fallthrough();
  auto flags = std::make_shared<UpFlags>();
  auto format = std::make_shared<std::string>("text");
  AddUpFlags(*command, *flags);
  command->add_option("--format", *format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  command->callback([project, hosts, flags, format, &run] {
    run = [=] { return RunPlan(*project, *hosts, *flags, *format); };
  });
}

}  // namespace baton::cli
