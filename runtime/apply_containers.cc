// ApplyPlan's container actions: create (and start), recreate, start, stop,
// remove. Each is safe to run again after an interruption: a leftover
// container of the project with the wanted name is replaced, stopping or
// removing a container that is gone succeeds.

#include <chrono>
#include <optional>
#include <string>

#include "planner/labels.h"
#include "runtime/apply_context.h"
#include "runtime/container_spec.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

// compose's stop_grace_period in whole seconds (rounded up, as the engine
// takes seconds); unset leaves the container's own stop timeout.
std::optional<std::chrono::seconds> StopGrace(const ApplyContext& ctx, const Action& action) {
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr || !service->service.stop_grace_period) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(*service->service.stop_grace_period);
}

// The container an action on an existing replica is about.
std::string ExistingContainer(const Action& action) {
  return action.container_id.empty() ? action.name : action.container_id;
}

Status StopContainer(DockerClient& docker, const std::string& id,
                     std::optional<std::chrono::seconds> grace) {
  Status s = docker.StopContainer(id, grace);
  if (!s.ok() && s.error().kind != Error::Kind::kNotFound) return s;
  return Status::Ok();
}

Status StopAndRemove(DockerClient& docker, const std::string& id,
                     std::optional<std::chrono::seconds> grace) {
  if (Status s = StopContainer(docker, id, grace); !s.ok()) return s;
  RemoveContainerOptions force;
  force.force = true;
  return docker.RemoveContainer(id, force);
}

// A container named `name` that belongs to this project is the leftover of
// an interrupted run (created, maybe never started): remove it. False when
// the name is taken by something that is not ours.
Result<bool> RemoveLeftover(const ApplyContext& ctx, DockerClient& docker,
                            const std::string& name) {
  Result<ContainerInfo> existing = docker.InspectContainer(name);
  if (!existing.ok())
    return existing.error().kind == Error::Kind::kNotFound ? Result<bool>(true)
                                                           : Result<bool>(existing.error());
  auto project = existing->labels.find(planner::labels::kProject);
  if (project == existing->labels.end() || project->second != ctx.plan.project) return false;
  RemoveContainerOptions force;
  force.force = true;
  if (Status s = docker.RemoveContainer(existing->id, force); !s.ok()) return s.error();
  return true;
}

Result<ContainerCreated> CreateReplacingLeftover(const ApplyContext& ctx, DockerClient& docker,
                                                 const ContainerSpec& spec) {
  Result<ContainerCreated> created = docker.CreateContainer(spec);
  if (created.ok()) return created;
  if (created.error().kind == Error::Kind::kConflict) {
    Result<bool> removed = RemoveLeftover(ctx, docker, spec.name);
    if (!removed.ok()) return removed.error();
    if (*removed) return docker.CreateContainer(spec);
    return created;
  }
  // A create whose answer was lost (a timeout, a dropped tunnel) may still
  // have made the container: leave no replica behind that this action did
  // not finish. (A failed network connect after create is undone by
  // DockerClient::CreateContainer itself.)
  (void)RemoveLeftover(ctx, docker, spec.name);
  return created;
}

Status CreateAndStart(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr)
    return Error::Invalid("", "service " + action.service + " is not in the desired state");
  auto slices = ctx.plan.subnets.find(action.host);
  Result<ContainerSpec> spec =
      MakeContainerSpec(ctx.desired, *service, action.slot, action.host,
                        slices == ctx.plan.subnets.end() ? NetworkSlices{} : slices->second);
  if (!spec.ok()) return spec.error();
  Result<ContainerCreated> created = CreateReplacingLeftover(ctx, docker, *spec);
  if (!created.ok()) return created.error();
  return docker.StartContainer(created->id);
}

}  // namespace

Status RunContainerAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> docker = HostDocker(ctx, action);
  if (!docker.ok()) return docker.error();
  switch (action.kind) {
    case ActionKind::kCreateContainer:
      return CreateAndStart(ctx, action, **docker);
    case ActionKind::kRecreateContainer:
      if (Status s = StopAndRemove(**docker, ExistingContainer(action), StopGrace(ctx, action));
          !s.ok())
        return s;
      return CreateAndStart(ctx, action, **docker);
    case ActionKind::kStartContainer:
      return (*docker)->StartContainer(ExistingContainer(action));
    case ActionKind::kStopContainer:
      return StopContainer(**docker, ExistingContainer(action), StopGrace(ctx, action));
    case ActionKind::kRemoveContainer:
      return StopAndRemove(**docker, ExistingContainer(action), StopGrace(ctx, action));
    default:
      return Error::Internal("", "not a container action");
  }
}

}  // namespace baton::runtime
