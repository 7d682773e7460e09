// ApplyPlan's container actions: create (and start), recreate, start, stop,
// remove. A create binds the host's copies of project files and copies the
// secrets in before the start. Each is safe to run again after an interruption: a leftover
// container of the project with the wanted name is replaced, stopping or
// removing a container that is gone succeeds.

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/labels.h"
#include "runtime/apply_context.h"
#include "runtime/container_spec.h"
#include "runtime/file_copy.h"
#include "runtime/secret_delivery.h"

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

// Where this engine keeps the copies `service` mounts (uploaded by the
// plan's kUploadFiles actions, which this action waits for).
Result<FileCopyPaths> CopyPaths(const ApplyContext& ctx, const planner::ServiceSpec& service,
                                DockerClient& docker) {
  FileCopyPaths paths;
  for (const planner::FileCopyUse& copy : service.content.copies) {
    if (paths.contains(copy.digest)) continue;
    Result<std::string> path = FileCopyPath(docker, ctx.desired.project, copy.digest, "");
    if (!path.ok()) return path.error().Within(copy.label);
    paths[copy.digest] = std::move(*path);
  }
  return paths;
}

// Secret values come from the local content: without it, a replica with
// secrets fails before anything of it is created or removed.
Status CheckContent(const ApplyContext& ctx, const Action& action) {
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr || ctx.options.content != nullptr || SecretsToDeliver(*service).empty())
    return Status::Ok();
  return Error::Internal("", "the secrets of " + service->name + " need the project's content");
}

// Copies the service's secrets into container `id`, which has not started.
Status Deliver(const ApplyContext& ctx, const planner::ServiceSpec& service, DockerClient& docker,
               const std::string& id) {
  std::vector<planner::SecretUse> secrets = SecretsToDeliver(service);
  if (secrets.empty()) return Status::Ok();
  if (ctx.options.content == nullptr)
    return Error::Internal("", "the secrets of " + service.name + " need the project's content");
  return DeliverSecrets(docker, id, secrets, *ctx.options.content);
}

// The engine refuses a Mounts bind whose source is missing: "invalid mount
// config for type "bind": bind source path does not exist: /srv/data". Said
// in compose's terms: only create_host_path: false makes such a bind of a
// host path (a copy's path is checked just before the create).
Error MissingBindSource(Error error, const FileCopyPaths& copies, const std::string& host) {
  constexpr std::string_view kMissing = "bind source path does not exist: ";
  size_t at = error.message.find(kMissing);
  if (at == std::string::npos) return error;
  std::string path = error.message.substr(at + kMissing.size());
  path = path.substr(0, path.find_first_of("\n\""));
  bool copy = std::any_of(copies.begin(), copies.end(),
                          [&](const auto& entry) { return path.starts_with(entry.second); });
  error.message = "bind source " + path + " does not exist on host " + host +
                  (copy ? " (a copy of project files)" : " (create_host_path: false)");
  return error;
}

Status CreateAndStart(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr)
    return Error::Invalid("", "service " + action.service + " is not in the desired state");
  if (Status s = CheckContent(ctx, action); !s.ok()) return s;
  Result<FileCopyPaths> copies = CopyPaths(ctx, *service, docker);
  if (!copies.ok()) return copies.error();
  auto slices = ctx.plan.subnets.find(action.host);
  Result<ContainerSpec> spec = MakeContainerSpec(
      ctx.desired, *service, action.slot, action.host,
      slices == ctx.plan.subnets.end() ? NetworkSlices{} : slices->second, *copies);
  if (!spec.ok()) return spec.error();
  Result<ContainerCreated> created = CreateReplacingLeftover(ctx, docker, *spec);
  if (!created.ok()) return MissingBindSource(created.error(), *copies, action.host);
  if (Status s = Deliver(ctx, *service, docker, created->id); !s.ok()) return s;
  return docker.StartContainer(created->id);
}

// A container that was only created may lack its secrets: an interrupted
// up can stop between the create and the delivery. Delivering again just
// rewrites the same files.
Status StartExisting(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  const std::string id = ExistingContainer(action);
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service != nullptr && !SecretsToDeliver(*service).empty()) {
    Result<ContainerInfo> info = docker.InspectContainer(id);
    if (!info.ok()) return info.error();
    if (info->state.status == "created")
      if (Status s = Deliver(ctx, *service, docker, info->id); !s.ok()) return s;
  }
  return docker.StartContainer(id);
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
      if (Status s = CheckContent(ctx, action); !s.ok()) return s;
      if (Status s = StopAndRemove(**docker, ExistingContainer(action), StopGrace(ctx, action));
          !s.ok())
        return s;
      return CreateAndStart(ctx, action, **docker);
    case ActionKind::kStartContainer:
      return StartExisting(ctx, action, **docker);
    case ActionKind::kStopContainer:
      return StopContainer(**docker, ExistingContainer(action), StopGrace(ctx, action));
    case ActionKind::kRemoveContainer:
      return StopAndRemove(**docker, ExistingContainer(action), StopGrace(ctx, action));
    default:
      return Error::Internal("", "not a container action");
  }
}

}  // namespace baton::runtime
