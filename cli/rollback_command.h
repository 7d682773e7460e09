#pragma once
// `baton rollback SERVICE` (issue 7): returns a service to the spec it had
// before the `up` that last changed it. That spec is kept in the project's
// desired-state record on the hosts, so the rollback works from any
// machine, with or without the compose file. Under the deploy lock: the
// record with the earlier spec is written (the replaced spec becomes the
// earlier one, so a second rollback undoes the first), then the running
// replicas are replaced batch by batch following deploy.rollback_config.
// `up` rolls back the same way when an update with failure_action rollback
// fails. Exit 0 on success, 1 on any error, 130 when Ctrl-C stopped it.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/apply_steps.h"
#include "cli/command.h"
#include "cli/deploy_context.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

// Rolls `service` back while the caller holds the deploy lock; the context's
// record is read first when it has not been. Prints the roll's progress on
// stderr and "web: rolled back, 4 replicas replaced" on stdout; returns the
// exit status.
int RollBackLocked(DeployContext& context, const std::string& service,
                   const ApplySettings& settings);

void AddRollbackCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                        std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
