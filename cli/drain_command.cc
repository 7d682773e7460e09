// RunDrain, RunActivate and the drain checks, declared in drain_command.h.

#include "cli/drain_command.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "cli/drain_project.h"
#include "cli/exit_status.h"
#include "cli/hosts_command.h"
#include "planner/labels.h"
#include "runtime/deploy_lock.h"
#include "runtime/docker_client.h"
#include "runtime/drain_marker.h"
#include "runtime/host_pool.h"
#include "runtime/state_store.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

using planner::DrainFate;

// The replicas of every project on the host: project -> "service slot".
Result<std::map<std::string, std::vector<std::string>>> ReplicasOn(runtime::DockerClient& docker) {
  namespace labels = planner::labels;
  auto list = docker.ListContainers(/*all=*/true,
                                    {{"label", {std::string(labels::kManaged) + "=true"}}});
  if (!list.ok()) return list.error().Within("list containers");
  std::map<std::string, std::vector<std::string>> replicas;
  for (const runtime::ContainerSummary& c : *list) {
    auto project = c.labels.find(labels::kProject);
    auto service = c.labels.find(labels::kService);
    if (project == c.labels.end() || service == c.labels.end()) continue;
    replicas[project->second].push_back(service->second + " " +
                                        std::to_string(labels::SlotFromLabels(c.labels)));
  }
  return replicas;
}

Result<std::chrono::milliseconds> DrainTimeout(const DrainFlags& flags) {
  if (flags.timeout.empty()) return std::chrono::milliseconds(kDefaultDrainTimeout);
  auto timeout = transport::ParseDuration(flags.timeout);
  if (!timeout.ok()) return Error::Invalid("--timeout", timeout.error().message);
  return *timeout;
}

// What the drain did to the host's replicas, over every project.
struct DrainTally {
  int moved = 0, left = 0, pinned = 0;
  bool clear = true;
  void Add(const std::vector<DrainFate>& fates) {
    for (const DrainFate& f : fates) {
      moved += f.kind == DrainFate::Kind::kMoves;
      left += f.kind == DrainFate::Kind::kLeaves;
      pinned += f.kind == DrainFate::Kind::kStays;
    }
    clear = clear && planner::DrainClears(fates);
  }
};

std::string Summary(const std::string& host, const DrainTally& tally) {
  std::string counts = std::to_string(tally.moved) + " moved, " + std::to_string(tally.left) +
                       " left, " + std::to_string(tally.pinned) + " pinned";
  if (tally.clear) return host + " holds no movable replica (" + counts + ")\n";
  return host + " still holds movable replicas (" + counts + ")\n";
}

// The projects to move now: those on the host that -p names (all when it
// names none) and that have a record; the rest are returned in `others`
// (-p left them out) and `unrecorded` (no record to move them by).
struct ProjectChoice {
  std::vector<std::string> chosen;
  std::map<std::string, std::vector<std::string>> others, unrecorded;
};

ProjectChoice Choose(const std::map<std::string, std::vector<std::string>>& replicas,
                     const DrainFlags& flags, const std::vector<std::string>& recorded) {
  ProjectChoice choice;
  for (const auto& [project, list] : replicas) {
    auto named = std::find(flags.projects.begin(), flags.projects.end(), project);
    if (!flags.projects.empty() && named == flags.projects.end())
      choice.others[project] = list;
    else if (!std::binary_search(recorded.begin(), recorded.end(), project))
      choice.unrecorded[project] = list;
    else
      choice.chosen.push_back(project);
  }
  return choice;
}

using LockedProjects = std::vector<std::pair<std::string, std::unique_ptr<LockedProject>>>;

// Every chosen project's deploy lock, taken before the host is marked; a
// project whose lock is held elsewhere is reported and left.
LockedProjects LockAll(const transport::HostInventory& inventory, runtime::HostPool& pool,
                       const std::vector<std::string>& projects, DrainTally& tally) {
  LockedProjects locked;
  for (const std::string& project : projects) {
    auto lock = LockForDrain(inventory, pool, project);
    if (lock.ok()) {
      locked.emplace_back(project, std::move(*lock));
      continue;
    }
    Fail(lock.error());  // it names the project and its holder
    tally.clear = false;
  }
  return locked;
}

// Moves each locked project's replicas in turn, releasing its lock when it
// is done; a project that fails is reported and the others still move.
// False when Ctrl-C stopped it.
bool MoveAll(LockedProjects& locked, const std::string& host, std::chrono::milliseconds timeout,
             DrainTally& tally) {
  for (auto& [project, entry] : locked) {
    auto fates = DrainLockedProject(*entry, host, timeout);
    if (!fates.ok()) {
      const Error& error = fates.error();
      tally.clear = false;
      if (error.kind == Error::Kind::kInternal && error.message == "interrupted") {
        Fail(error);
        return false;
      }
      Fail(error.Within(project));
      continue;
    }
    for (const DrainFate& fate : *fates)
      std::printf("%s: %s\n", project.c_str(), planner::DescribeFate(fate, host).c_str());
    std::fflush(stdout);
    tally.Add(*fates);
  }
  return true;
}

void ReportLeft(const std::string& host, const ProjectChoice& choice, DrainTally& tally) {
  if (!choice.others.empty())
    std::fputs(DescribeDrainedReplicas(host, choice.others).c_str(), stdout);
  for (const auto& [project, list] : choice.unrecorded) {
    std::string names;
    for (const std::string& replica : list) names += (names.empty() ? "" : ", ") + replica;
    Fail(Error::NotFound("", project + ": no desired state on the hosts; its replicas (" + names +
                                 ") move at its next `baton up`"));
    tally.clear = false;
  }
  std::fflush(stdout);
}

std::vector<HostReach> ReachOf(const runtime::HostPool& pool) {
  std::vector<HostReach> hosts;
  for (const runtime::HostHandle& host : pool.hosts()) {
    HostReach reach{host.config.name, std::nullopt};
    if (!host.reachable())
      reach.error = host.error ? *host.error
                               : Error::Unreachable("host " + host.config.name, "not connected");
    hosts.push_back(std::move(reach));
  }
  return hosts;
}

struct OpenedDrain {
  transport::HostInventory inventory;
  runtime::HostPool pool;
};

Result<OpenedDrain> OpenForDrain(const HostOptions& options, const std::string& host) {
  auto inventory = SelectHostsFromProcess(options, "");
  if (!inventory.ok()) return inventory.error();
  if (Status known = CheckDrainHost(*inventory, host); !known.ok()) return known.error();
  auto ssh = MakeSshOptions(options, inventory->settings);
  if (!ssh.ok()) return ssh.error();
  runtime::HostPool pool = runtime::HostPool::Open(inventory->hosts, *ssh);
  return OpenedDrain{std::move(*inventory), std::move(pool)};
}

}  // namespace

Status Mark(runtime::DockerClient& docker, const std::string& host) {
  if (Status s = runtime::MarkDrained(docker, runtime::ThisProcessHolder()); !s.ok())
    return s.error().Within("host " + host);
  std::printf("%s drained\n", host.c_str());
  return Status::Ok();
}

int RunDrain(const HostOptions& options, const DrainFlags& flags, const std::string& host) {
  auto timeout = DrainTimeout(flags);
  if (!timeout.ok()) return Fail(timeout.error());
  auto opened = OpenForDrain(options, host);
  if (!opened.ok()) return Fail(opened.error());
  if (Status reach = CheckDrainReach(ReachOf(opened->pool), host); !reach.ok())
    return Fail(reach.error());
  auto docker = opened->pool.Docker(host);
  if (!docker.ok()) return Fail(docker.error());
  auto replicas = ReplicasOn(**docker);
  if (!replicas.ok()) return Fail(replicas.error().Within("host " + host));
  if (flags.no_wait || replicas->empty()) {
    if (Status marked = Mark(**docker, host); !marked.ok()) return Fail(marked.error());
    std::fputs(DescribeDrainedReplicas(host, *replicas).c_str(), stdout);
    return 0;
  }
  auto recorded = runtime::ProjectsWithDesiredState(opened->pool);
  if (!recorded.ok()) return Fail(recorded.error());
  ProjectChoice choice = Choose(*replicas, flags, *recorded);
  DrainTally tally;
  LockedProjects locked = LockAll(opened->inventory, opened->pool, choice.chosen, tally);
  if (Status marked = Mark(**docker, host); !marked.ok()) return Fail(marked.error());
  ReportLeft(host, choice, tally);
  if (!MoveAll(locked, host, *timeout, tally)) return kExitInterrupted;
  std::fputs(Summary(host, tally).c_str(), stdout);
  return tally.clear ? 0 : kExitFailed;
}

int RunActivate(const HostOptions& options, const std::string& host) {
  auto opened = OpenForDrain(options, host);
  if (!opened.ok()) return Fail(opened.error());
  auto docker = opened->pool.Docker(host);
  if (!docker.ok()) return Fail(docker.error());
  if (Status s = runtime::Activate(**docker); !s.ok())
    return Fail(s.error().Within("host " + host));
  // As in Swarm: placement keeps running replicas where they are.
  std::printf("%s active; nothing moves back by itself\n", host.c_str());
  return 0;
}

Status CheckDrainHost(const transport::HostInventory& inventory, const std::string& name) {
  std::string known;
  for (const transport::HostConfig& host : inventory.hosts) {
    if (host.name == name) return Status::Ok();
    known += (known.empty() ? "" : ", ") + host.name;
  }
  return Error::NotFound("", "unknown host \"" + name + "\" (the hosts from " + inventory.origin +
                                 " are " + known + ")");
}

Status CheckDrainReach(const std::vector<HostReach>& hosts, const std::string& drained) {
  std::string down;
  size_t reachable = 0;
  for (const HostReach& host : hosts) {
    if (!host.error) {
      ++reachable;
      continue;
    }
    if (host.name == drained) return *host.error;
    down += "\n  " + host.error->ToString();
  }
  size_t majority = runtime::HostMajority(hosts.size());
  if (reachable >= majority) return Status::Ok();
  return Error::Unreachable("", "only " + std::to_string(reachable) + " of " +
                                    std::to_string(hosts.size()) +
                                    " hosts reachable; a drain writes the desired state on a "
                                    "majority (" +
                                    std::to_string(majority) + "):" + down);
}

Status CheckOwnersSeen(const planner::DesiredRecord& record, const planner::ActualState& actual) {
  std::string lines;
  for (const planner::HostState& host : actual.hosts) {
    if (host.reachable) continue;
    std::string owned;
    for (const auto& [service, slots] : record.placement)
      for (const auto& [slot, owner] : slots)
        if (owner == host.name)
          owned += (owned.empty() ? "" : ", ") + service + " " + std::to_string(slot);
    if (!owned.empty()) lines += "\n  " + host.name + ": " + owned;
  }
  if (lines.empty()) return Status::Ok();
  return Error::Unreachable("",
                            "cannot see the hosts the record places these replicas on, so a drain "
                            "would start them again elsewhere (bring them back or take them out "
                            "of the hosts file):" +
                                lines);
}

}  // namespace baton::cli
