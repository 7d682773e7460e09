#pragma once
// `baton unlock`: breaks the project's deploy lock, whoever holds it, after
// printing who that was ("lock of project shop held by alice@laptop pid 4242
// since 2026-11-28T19:02:11Z on lab1, lab2; removed"). For a deploy that
// died (a killed laptop): never run it while that deploy may still run.
// Works with only -p when there is no compose file. Exit 0 also when no lock
// was held; 1 on any error.

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddUnlockCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                      std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
