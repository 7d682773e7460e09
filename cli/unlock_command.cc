#include "cli/unlock_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "runtime/deploy_lock.h"

namespace baton::cli {
namespace {

// One line per holder, with the hosts where its lock was found and the
// earliest time it was taken (the hosts are locked one after another, so
// their times may differ by a second).
void PrintHolders(const std::string& project, const std::vector<runtime::LockHolder>& holders) {
  struct Held {
    std::string since;
    std::string hosts;
  };
  std::map<std::string, Held> by_holder;
  for (const runtime::LockHolder& h : holders) {
    Held& held = by_holder[h.holder];
    if (held.since.empty() || h.since < held.since) held.since = h.since;
    held.hosts += (held.hosts.empty() ? "" : ", ") + h.host;
  }
  for (const auto& [holder, held] : by_holder)
    std::printf("lock of project %s held by %s since %s on %s; removed\n", project.c_str(),
                holder.c_str(), held.since.c_str(), held.hosts.c_str());
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
