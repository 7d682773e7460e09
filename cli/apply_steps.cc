#include "cli/apply_steps.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "cli/interrupt.h"
#include "cli/plan_output.h"
#include "cli/progress_output.h"
#include "runtime/apply.h"

namespace baton::cli {

Status CheckReachable(const planner::ActualState& actual, const std::string& command,
                      const std::string& remedy) {
  std::string hosts;
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) hosts += (hosts.empty() ? "" : "\n  ") + host.name + ": " + host.error;
  if (hosts.empty()) return Status::Ok();
  return Error::Unreachable(
      "", "cannot see every host, so " + command +
              " would start the replicas they run again elsewhere (" + remedy + "):\n  " + hosts);
}

Error UnplacedError(const planner::Plan& plan) {
  std::string message = "cannot place " + std::to_string(plan.unplaced.size()) + " replica" +
                        (plan.unplaced.size() == 1 ? "" : "s") + "; nothing was changed";
  for (const planner::Unplaced& u : plan.unplaced)
    message += "\n  " + u.service + " replica " + std::to_string(u.slot) + ": " + u.reason;
  return Error::Invalid("", message);
}

Result<std::unique_ptr<runtime::DockerClient>> ConnectLocalEngine(const std::string& why) {
  std::string socket = "/var/run/docker.sock";
  const char* env = std::getenv("DOCKER_HOST");
  constexpr std::string_view kUnix = "unix://";
  if (env != nullptr && std::string_view(env).starts_with(kUnix)) socket = env + kUnix.size();
  runtime::DockerOptions options;
  options.host = "local";
  options.socket_path = socket;
  auto client = runtime::DockerClient::Connect(options);
  if (!client.ok()) return client.error().Within(why + " needs the local engine");
  return std::make_unique<runtime::DockerClient>(std::move(*client));
}

bool UsesLocalEngine(const planner::Plan& plan) {
  for (const planner::Action& action : plan.actions) {
    if (action.kind == planner::ActionKind::kPushImage && action.source_host.empty()) return true;
    if (action.kind == planner::ActionKind::kBuildImage && action.host.empty()) return true;
  }
  return false;
}

Error PlanErrors(const planner::Plan& plan) {
  std::string message = "cannot deploy; nothing was changed";
  for (const std::string& error : plan.errors) message += "\n  " + error;
  return Error::Invalid("", message);
}

void PrintNotes(const planner::Plan& plan) {
  for (const std::string& note : plan.notes) std::fprintf(stderr, "note: %s\n", note.c_str());
}

void WarnUnreachable(const planner::ActualState& actual, const std::string& consequence) {
  for (const planner::HostState& host : actual.hosts) {
    if (host.reachable) continue;
    std::fprintf(stderr, "baton: warning: host %s is unreachable (%s); %s\n", host.name.c_str(),
                 host.error.c_str(), consequence.c_str());
  }
}

Result<runtime::DeployLock> LockProject(DeployContext& context) {
  return runtime::DeployLock::Acquire(context.pool, context.desired.project,
                                      runtime::ThisProcessHolder());
}

Status ApplyWithProgress(DeployContext& context, const planner::Plan& plan,
                         const ApplySettings& settings) {
  ProgressPrinter printer(stderr, plan, UseColor(STDERR_FILENO));
  printer.SetCopyLabels(CopyLabels(context.desired));
  std::unique_ptr<runtime::ContentSource> content =
      context.content ? content::MakeContentSource(*context.content) : nullptr;
  runtime::ApplyOptions options;
  options.on_progress = printer.Callback();
  options.on_build_output = printer.BuildOutputCallback();
  options.content = content.get();
  options.stop = InterruptToken();
  options.wait_timeout = settings.wait_timeout;
  options.push_source = settings.push_source;
  options.no_cache = settings.no_cache;
  if (context.netd) options.netd = &*context.netd;
  return runtime::ApplyPlan(plan, context.desired, context.pool, options);
}

Status ApplyWithLocalEngine(DeployContext& context, const planner::Plan& plan,
                            ApplySettings settings, std::unique_ptr<runtime::DockerClient> local,
                            const std::string& why) {
  if (local == nullptr && UsesLocalEngine(plan)) {
    auto engine = ConnectLocalEngine(why);
    if (!engine.ok()) return engine.error();
    local = std::move(*engine);
  }
  settings.push_source = local.get();
  return ApplyWithProgress(context, plan, settings);
}

int ApplyAndSummarise(DeployContext& context, const planner::Plan& plan, ApplySettings settings,
                      std::unique_ptr<runtime::DockerClient> local, const std::string& why) {
  if (Status applied = ApplyWithLocalEngine(context, plan, settings, std::move(local), why);
      !applied.ok())
    return Fail(applied.error());
  std::printf("%s\n", AppliedSummary(plan).c_str());
  return 0;
}

}  // namespace baton::cli
