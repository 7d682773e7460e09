// ApplyPlan's network, volume and image-removal actions. Creating what
// exists and removing what is gone both succeed; removing what a container
// still uses fails naming the containers.

#include <string>
#include <vector>

#include "runtime/apply_context.h"
#include "runtime/container_spec.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// `refused` again, with the users of the object as its message when they
// can be found: "in use by shop-web-1, shop-web-2".
Error InUseBy(const Error& refused, const std::vector<std::string>& users) {
  if (users.empty()) return refused;
  Error e = refused;
  e.message = "in use by " + JoinNames(users);
  return e;
}

// Names of the containers (of any project) that `filters` match.
std::vector<std::string> ContainersMatching(DockerClient& docker, const Filters& filters) {
  std::vector<std::string> names;
  Result<std::vector<ContainerSummary>> list = docker.ListContainers(true, filters);
  if (list.ok())
    for (const ContainerSummary& c : *list) names.push_back(c.name);
  return names;
}

Status CreateNetwork(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  for (const planner::NetworkSpec& network : ctx.desired.networks) {
    if (network.network.name != action.name) continue;
    Result<std::string> id = docker.CreateNetwork(MakeNetworkSpec(ctx.desired, network, action.subnet));
    // A network of that name is already there (an earlier, interrupted run).
    if (!id.ok() && id.error().kind != Error::Kind::kConflict) return id.error();
    return Status::Ok();
  }
  return Error::Invalid("", "network " + action.name + " is not in the desired state");
}

Status CreateVolume(const ApplyContext& ctx, const Action& action, DockerClient& docker) {
  for (const planner::VolumeSpec& volume : ctx.desired.volumes) {
    if (volume.volume.name != action.name) continue;
    Result<VolumeInfo> created = docker.CreateVolume(MakeVolumeSpec(ctx.desired, volume));
    return created.ok() ? Status::Ok() : Status(created.error());
  }
  return Error::Invalid("", "volume " + action.name + " is not in the desired state");
}

Status RemoveNetwork(const Action& action, DockerClient& docker) {
  Status s = docker.RemoveNetwork(action.name);
  if (s.ok() || s.error().kind != Error::Kind::kConflict) return s;
  std::vector<std::string> users;
  if (Result<NetworkInfo> info = docker.InspectNetwork(action.name); info.ok())
    for (const auto& [id, member] : info->members) users.push_back(member.name);
  return InUseBy(s.error(), users);
}

Status RemoveVolume(const Action& action, DockerClient& docker) {
  Status s = docker.RemoveVolume(action.name);
  if (s.ok() || s.error().kind != Error::Kind::kConflict) return s;
  return InUseBy(s.error(), ContainersMatching(docker, {{"volume", {action.name}}}));
}

Status RemoveImage(const Action& action, DockerClient& docker) {
  Status s = docker.RemoveImage(action.name);
  if (s.ok() || s.error().kind != Error::Kind::kConflict) return s;
  return InUseBy(s.error(), ContainersMatching(docker, {{"ancestor", {action.name}}}));
}

}  // namespace

Status RunResourceAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> docker = HostDocker(ctx, action);
  if (!docker.ok()) return docker.error();
  switch (action.kind) {
    case ActionKind::kCreateNetwork:
      return CreateNetwork(ctx, action, **docker);
    case ActionKind::kCreateVolume:
      return CreateVolume(ctx, action, **docker);
    case ActionKind::kRemoveNetwork:
      return RemoveNetwork(action, **docker);
    case ActionKind::kRemoveVolume:
      return RemoveVolume(action, **docker);
    case ActionKind::kRemoveImage:
      return RemoveImage(action, **docker);
    default:
      return Error::Internal("", "not a network, volume or image removal action");
  }
}

}  // namespace baton::runtime
