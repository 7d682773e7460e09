// ApplyPlan's netd actions: create (load the image when missing, create,
// start), recreate (stop, remove, then as create) and remove (stop, remove,
// then its image unless another container uses it). netd removes its
// routes, rules and devices when stopped, so it gets kNetdStopGrace.

#include <chrono>
#include <string>

#include "planner/labels.h"
#include "runtime/apply_context.h"
#include "runtime/netd_container.h"

namespace baton::runtime {
namespace {

using planner::Action;
constexpr std::chrono::seconds kNetdReadyTimeout{30};
using planner::ActionKind;
namespace labels = planner::labels;

// The image of the host's netd container; "" when there is none.
std::string CurrentNetdImage(DockerClient& docker) {
  Result<ContainerInfo> info = docker.InspectContainer(labels::kNetdContainer);
  return info.ok() ? info->image : "";
}

// Stops and removes the host's netd, if there is one; a container of that
// name without the netd role is a stranger's and is left alone (create then
// fails with the engine's conflict).
Status StopAndRemoveNetd(DockerClient& docker) {
  Result<ContainerInfo> info = docker.InspectContainer(labels::kNetdContainer);
  if (!info.ok()) return info.error().kind == Error::Kind::kNotFound ? Status::Ok() : info.error();
  auto role = info->labels.find(labels::kRole);
  if (role == info->labels.end() || role->second != labels::kNetdRole) return Status::Ok();
  Status stopped = docker.StopContainer(info->id, kNetdStopGrace);
  if (!stopped.ok() && stopped.error().kind != Error::Kind::kNotFound) return stopped;
  RemoveContainerOptions force;
  force.force = true;
  return docker.RemoveContainer(info->id, force);
}

// Removes `image` unless a container still uses it, which is not an error.
Status RemoveUnusedImage(DockerClient& docker, const std::string& image) {
  if (image.empty()) return Status::Ok();
  Status removed = docker.RemoveImage(image);
  if (!removed.ok() && removed.error().kind == Error::Kind::kConflict) return Status::Ok();
  return removed;
}

// Until `baton-netd health` says ready: its rules are in place and it has
// heard from its peers, so the replicas started next resolve every name from
// their first lookup. Polled with exec, as a Docker healthcheck would only
// look after its first interval.
Status WaitUntilReady(const ApplyContext& ctx, DockerClient& docker, const std::string& id) {
  ExecSpec health;
  health.cmd = {"/baton-netd", "health"};
  health.timeout = std::chrono::seconds(5);
  auto deadline = std::chrono::steady_clock::now() + kNetdReadyTimeout;
  while (true) {
    Result<ExecResult> checked = docker.Exec(id, health);
    if (checked.ok() && checked->exit_code == 0) return Status::Ok();
    if (std::chrono::steady_clock::now() > deadline)
      return Error::Unreachable(
          "", "netd did not become ready within " + std::to_string(kNetdReadyTimeout.count()) +
                  " s (see `docker logs " + labels::kNetdContainer + "` on the host)");
    if (!SleepUnlessStopped(ctx.options.stop, std::chrono::milliseconds(100))) return Interrupted();
  }
}

Status CreateNetd(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  const NetdDeployment* netd = ctx.options.netd;
  if (netd == nullptr) return Error::Internal("", "no netd image was prepared for this plan");
  auto spec = netd->containers.find(action.host);
  if (spec == netd->containers.end())
    return Error::Internal("", "no netd config for host " + action.host);
  if (Status s = EnsureNetdImage(docker, netd->image); !s.ok()) return s;
  Result<ContainerCreated> created = docker.CreateContainer(spec->second);
  if (!created.ok()) return created.error();
  if (Status s = docker.StartContainer(created->id); !s.ok()) return s;
  return WaitUntilReady(ctx, docker, created->id);
}

Status RecreateNetd(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  std::string old_image = CurrentNetdImage(docker);
  if (Status s = StopAndRemoveNetd(docker); !s.ok()) return s;
  if (Status s = CreateNetd(ctx, action, docker); !s.ok()) return s;
  // A new baton-netd binary leaves the old image unused.
  if (ctx.options.netd != nullptr && old_image != ctx.options.netd->image.tag)
    return RemoveUnusedImage(docker, old_image);
  return Status::Ok();
}

Status RemoveNetd(DockerClient& docker) {
  std::string image = CurrentNetdImage(docker);
  if (Status s = StopAndRemoveNetd(docker); !s.ok()) return s;
  return RemoveUnusedImage(docker, image);
}

}  // namespace

Status RunNetdAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> docker = HostDocker(ctx, action);
  if (!docker.ok()) return docker.error();
  switch (action.kind) {
    case ActionKind::kCreateNetd:
      // A leftover of an interrupted run (created, never started) goes first.
      if (Status s = StopAndRemoveNetd(**docker); !s.ok()) return s;
      return CreateNetd(ctx, action, **docker);
    case ActionKind::kRecreateNetd:
      return RecreateNetd(ctx, action, **docker);
    case ActionKind::kRemoveNetd:
      return RemoveNetd(**docker);
    default:
      return Error::Internal("", "not a netd action");
  }
}

}  // namespace baton::runtime
