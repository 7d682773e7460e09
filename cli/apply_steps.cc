#include "cli/apply_steps.h"

#include <unistd.h>

#include <cstdio>

#include "cli/interrupt.h"
#include "cli/plan_output.h"
#include "cli/progress_output.h"
#include "runtime/apply.h"

namespace baton::cli {

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
  runtime::ApplyOptions options;
  options.on_progress = printer.Callback();
  options.stop = InterruptToken();
  options.wait_timeout = settings.wait_timeout;
  options.push_source = settings.push_source;
  if (context.netd) options.netd = &*context.netd;
  return runtime::ApplyPlan(plan, context.desired, context.pool, options);
}

}  // namespace baton::cli
