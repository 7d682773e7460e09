#include "cli/unlock_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <tuple>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "runtime/deploy_lock.h"

namespace baton::cli {
namespace {

// One line per (holder, since), with the hosts where that lock was found.
void PrintHolders(const std::string& project, const std::vector<runtime::LockHolder>& holders) {
  std::map<std::pair<std::string, std::string>, std::string> hosts;
  for (const runtime::LockHolder& h : holders) {
    std::string& list = hosts[{h.holder, h.since}];
    list += (list.empty() ? "" : ", ") + h.host;
  }
  for (const auto& [who, where] : hosts)
    std::printf("lock of project %s held by %s since %s on %s; removed\n", project.c_str(),
                who.first.c_str(), who.second.c_str(), where.c_str());
}

int RunUnlock(const ProjectOptions& project, const HostOptions& hosts) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  for (const runtime::HostHandle& host : context->pool.hosts())
    if (!host.reachable() && host.error)
      std::fprintf(stderr, "baton: warning: %s; a lock there is left in place\n",
                   host.error->ToString().c_str());
  const std::string& name = context->desired.project;
  auto holders = runtime::DeployLock::Holders(context->pool, name);
  if (!holders.ok()) return Fail(holders.error());
  if (holders->empty()) {
    std::printf("project %s is not locked\n", name.c_str());
    return 0;
  }
  if (auto broken = runtime::DeployLock::Break(context->pool, name); !broken.ok())
    return Fail(broken.error());
  PrintHolders(name, *holders);
  return 0;
}

}  // namespace

void AddUnlockCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                      std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("unlock", "Break the project's deploy lock left by a dead deploy");
  command->fallthrough();
  command->callback([project, hosts, &run] { run = [=] { return RunUnlock(*project, *hosts); }; });
}

}  // namespace baton::cli
