#pragma once
// The pure part of a graceful drain (`baton hosts drain HOST`, design 3.5):
// what the plan made with HOST drained does to each replica on HOST, which
// new replicas must run before the old ones go, and whether they do.

#include <string>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/plan.h"

namespace baton::planner {

// What happens to one replica of the project on the drained host.
struct DrainFate {
  enum class Kind {
    kMoves,   // a new replica starts on `to`, then this one is removed
    kLeaves,  // removed with no replacement (a global service, scaled down, stopped, orphan)
    kStays,   // placed on the drained host again: a local volume pins it there
    kStuck,   // wanted, but no other host can take it (or it needs local content)
  };
  Kind kind = Kind::kMoves;
  std::string service;
  int slot = 0;
  std::string to;      // kMoves: the new host
  std::string reason;  // kLeaves: the removal's; kStays: "pinned by volume shop_data"; kStuck: why
  bool operator==(const DrainFate&) const = default;
};

// The fate of every container of the project on `host` (in actual's order)
// under `plan` (its placement, unplaced replicas and actions, after every
// filter the caller applied). A replica counts as moving only when the plan
// creates its slot on the new host; a slot placed elsewhere that the plan does
// not create (a stopped service) leaves.
std::vector<DrainFate> DrainFates(const DesiredState& desired, const ActualState& actual,
                                  const Plan& plan, const std::string& host);

// One line for a fate, without a newline: "web 2 moves from lab2 to lab1",
// "api 3 leaves lab2 (global service)", "db 1 stays on lab2: pinned by
// volume shop_data", "web 3 stays on lab2: 0/3 hosts: ...".
std::string DescribeFate(const DrainFate& fate, const std::string& host);

// Whether the host holds no movable replica once the fates are carried out:
// none is kStuck.
bool DrainClears(const std::vector<DrainFate>& fates);

// A replica a drain waits for before it removes the old one.
struct MoveTarget {
  std::string service;
  int slot = 0;
  std::string host;
  bool operator==(const MoveTarget&) const = default;
};

// The new replicas of the kMoves fates.
std::vector<MoveTarget> MoveTargets(const std::vector<DrainFate>& fates);

// Where the new replicas are, as observed.
struct MoveProgress {
  std::vector<std::string> waiting;  // "web 2 on lab1 (starting)"
  std::vector<std::string> failed;   // "web 2 on lab1 (exited with code 1)"
  bool ready() const { return waiting.empty() && failed.empty(); }
};

// A new replica is ready when its container runs and, when the engine runs a
// healthcheck for it, is healthy. It has failed when it exited or died with no
// restart policy to bring it back (waiting longer cannot help). Anything else,
// a container not seen yet included, is still waiting.
MoveProgress JudgeMoves(const std::vector<MoveTarget>& targets, const ActualState& actual);

}  // namespace baton::planner
