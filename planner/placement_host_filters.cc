// The filters that judge the host alone: reachable, drained, constraints, volumes.

#include <algorithm>

#include "planner/constraint_match.h"
#include "planner/placement_filters.h"
#include "planner/placement_reason.h"

namespace baton::planner {
namespace {

// Constraints built by hand (tests) may lack the text as written.
std::string ConstraintText(const Constraint& constraint) {
  if (!constraint.text.empty()) return constraint.text;
  return constraint.attribute + (constraint.equal ? "==" : "!=") + constraint.value;
}

const std::string* MissingVolume(const PlacementRequest& request, size_t host) {
  for (const std::string& volume : request.facts().pinned_volumes)
    if (!request.input.Holds(host, volume)) return &volume;
  return nullptr;
}

bool PinnedHere(const PlacementRequest& request, size_t host) {
  return !request.facts().pinned_volumes.empty() && MissingVolume(request, host) == nullptr;
}

}  // namespace

bool ReachableFilter::Fits(const PlacementRequest& request, size_t host) const {
  return request.host(host).reachable;
}

Rejection ReachableFilter::Explain(const PlacementRequest&, size_t) const {
  return MakeRejection("is unreachable", "are unreachable");
}

bool DrainFilter::Fits(const PlacementRequest& request, size_t host) const {
  return !request.host(host).drained || PinnedHere(request, host);
}

Rejection DrainFilter::Explain(const PlacementRequest&, size_t) const {
  return MakeRejection("is drained", "are drained");
}

bool ConstraintFilter::Fits(const PlacementRequest& request, size_t host) const {
  const HostState& state = request.host(host);
  return std::all_of(request.spec().constraints.begin(), request.spec().constraints.end(),
                     [&](const Constraint& c) { return MatchesConstraint(c, state); });
}

Rejection ConstraintFilter::Explain(const PlacementRequest& request, size_t host) const {
  for (const Constraint& constraint : request.spec().constraints) {
    if (MatchesConstraint(constraint, request.host(host))) continue;
    std::string text = ConstraintText(constraint);
    return MakeRejection("does not match " + text, "do not match " + text);
  }
  return MakeRejection("does not match the constraints", "do not match the constraints");
}

bool VolumeFilter::Fits(const PlacementRequest& request, size_t host) const {
  return MissingVolume(request, host) == nullptr;
}

Rejection VolumeFilter::Explain(const PlacementRequest& request, size_t host) const {
  const std::string* missing = MissingVolume(request, host);
  std::string volume = missing ? *missing : "";
  return MakeRejection("does not hold volume " + volume, "do not hold volume " + volume);
}

std::optional<std::string> PinnedToUnreachable(const PlacementRequest& request) {
  for (const std::string& volume : request.facts().pinned_volumes) {
    std::string holders;
    bool reachable = false;
    for (size_t h = 0; h < request.input.host_count(); ++h) {
      if (!request.input.Holds(h, volume)) continue;
      reachable = reachable || request.host(h).reachable;
      holders += (holders.empty() ? "" : ", ") + request.host(h).name;
    }
    if (!holders.empty() && !reachable)
      return "0/" + std::to_string(request.input.host_count()) +
             " hosts: pinned to " + holders + " (unreachable) by volume " + volume;
  }
  return std::nullopt;
}

}  // namespace baton::planner
