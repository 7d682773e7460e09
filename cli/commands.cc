#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/build_command.h"
#include "cli/config_command.h"
#include "cli/events_command.h"
#include "cli/down_command.h"
#include "cli/exec_command.h"
#include "cli/host_options.h"
#include "cli/hosts_command.h"
#include "cli/lab_command.h"
#include "cli/lifecycle_command.h"
#include "cli/logs_command.h"
#include "cli/plan_command.h"
#include "cli/project_options.h"
#include "cli/ps_command.h"
#include "cli/pull_command.h"
#include "cli/rollback_command.h"
#include "cli/scale_command.h"
#include "cli/unlock_command.h"
#include "cli/up_command.h"
#include "cli/watch_command.h"

namespace baton::cli {

void AddAllCommands(CLI::App& app, Runner& run) {
  // The project and host flags belong to the top-level app so they may
  // precede the command; every command shares this one copy of each, kept
  // alive by the commands' callbacks.
  auto project = std::make_shared<ProjectOptions>();
  AddProjectOptions(app, *project);
  auto hosts = std::make_shared<HostOptions>();
  AddHostOptions(app, *hosts);
  AddConfigCommand(app, project, run);
  AddPlanCommand(app, project, hosts, run);
  AddUpCommand(app, project, hosts, run);
  AddBuildCommand(app, project, hosts, run);
  AddDownCommand(app, project, hosts, run);
  AddPsCommand(app, project, hosts, run);
  AddLogsCommand(app, project, hosts, run);
  AddExecCommand(app, project, hosts, run);
  AddLifecycleCommands(app, project, hosts, run);
  AddPullCommand(app, project, hosts, run);
  AddUnlockCommand(app, project, hosts, run);
  AddScaleCommand(app, project, hosts, run);
  AddRollbackCommand(app, project, hosts, run);
  AddWatchCommand(app, project, hosts, run);
  AddEventsCommand(app, project, hosts, run);
  AddHostsCommand(app, project, hosts, run);
  AddLabCommand(app, run);
}

}  // namespace baton::cli
