// FileUploads and FileRemovals, declared in plan_up.h: the copies of project
// files (bind mounts and configs) each host holds. A copy is uploaded to a
// host before any container there mounts it, and removed only once no
// container on the host mounts it, so a running replica never loses files.

#include <map>
#include <set>

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

// Digest -> label of every copy the in-scope services placed on `host` use;
// the first service (name order) names a copy several share.
std::map<std::string, std::string> PlacedCopies(const UpContext& context, const HostState& host) {
  std::map<std::string, std::string> copies;
  for (const ServiceSpec* spec : PlacedServices(context, host))
    for (const FileCopyUse& copy : spec->content.copies) copies.emplace(copy.digest, copy.label);
  return copies;
}

// The containers of `host` that the plan replaces or removes.
std::set<std::string> ContainersGoing(const std::vector<Action>& containers,
                                      const std::vector<Leftover>& leftovers) {
  std::set<std::string> going;
  for (const Action& a : containers)
    if (a.kind == ActionKind::kRecreateContainer) going.insert(a.container_id);
  for (const Leftover& leftover : leftovers) going.insert(leftover.container->id);
  return going;
}

}  // namespace

std::vector<Action> FileUploads(const UpContext& context, const HostState& host) {
  std::vector<Action> actions;
  for (const auto& [digest, label] : PlacedCopies(context, host)) {
    auto present = host.file_copies.find(digest);
    if (present != host.file_copies.end() && present->second.complete) continue;
    actions.push_back(
        Action{ActionKind::kUploadFiles, host.name, "", 0, digest, "", label, {}, "", ""});
  }
  return actions;
}

std::vector<Action> FileRemovals(const UpContext& context, const HostState& host,
                                 const std::vector<Action>& containers,
                                 const std::vector<Leftover>& leftovers) {
  std::set<std::string> kept;
  for (const auto& [digest, label] : PlacedCopies(context, host)) kept.insert(digest);
  std::set<std::string> going = ContainersGoing(containers, leftovers);
  for (const ActualContainer& c : host.containers)
    if (!going.count(c.id)) kept.insert(c.file_copies.begin(), c.file_copies.end());
  std::vector<Action> actions;
  for (const auto& [digest, state] : host.file_copies) {
    if (kept.count(digest)) continue;
    actions.push_back(Action{ActionKind::kRemoveFiles, host.name, "", 0, digest, "",
                             "no container uses it", {}, "", ""});
  }
  return actions;
}

}  // namespace baton::planner
