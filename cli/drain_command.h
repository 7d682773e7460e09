#pragma once
// `baton hosts drain HOST` and `baton hosts activate HOST` (issue 6, design
// 3.5). Drain marks the host (runtime/drain_marker.h), then moves every
// recorded project's replicas off it gracefully, one project at a time under
// its deploy lock (the watcher pauses meanwhile):
//   1. the record's desired state is planned with HOST drained (as `scale`
//      plans), and the plan split (planner::SplitMoves);
//   2. the new replicas are created and started; they are not in the
//      record's placement yet, so netd keeps them out of DNS;
//   3. wait until they run (and are healthy when the engine checks health);
//   4. the record is written with the new placement: DNS flips to them;
//   5. the old replicas stop and go.
// Replicas a local volume pins to HOST stay and are reported; global
// services leave it. --no-wait only marks (a running watcher moves them).
// Activate removes the mark; nothing moves back by itself, as in Swarm.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/host_options.h"
#include "planner/actual_state.h"
#include "planner/desired_record.h"
#include "transport/host_selection.h"

namespace baton::cli {

struct DrainFlags {
  bool no_wait = false;               // --no-wait: only mark
  std::string timeout;                // --timeout: how long new replicas may take; "" = 60 s
  std::vector<std::string> projects;  // -p: only these projects move now; empty = all
};

constexpr std::chrono::seconds kDefaultDrainTimeout{60};

// Exit 0 when HOST holds no movable replica any more (pinned ones may
// stay), 1 on any error or when one could not move ("baton: ..." on
// stderr), 130 when Ctrl-C stopped it.
int RunDrain(const HostOptions& options, const DrainFlags& flags, const std::string& host);
int RunActivate(const HostOptions& options, const std::string& host);

// kNotFound `unknown host "lab9" (the hosts from baton.hosts.yaml are lab1,
// lab2)` when the inventory has no host `name`.
Status CheckDrainHost(const transport::HostInventory& inventory, const std::string& name);

// A host as the pool opened it: `error` is set when it is unreachable.
struct HostReach {
  std::string name;
  std::optional<Error> error;
};

// The drained host must be reachable (its own error otherwise), and so must a
// majority of the hosts, since every moved project's record is written
// there: kUnreachable "only 1 of 3 hosts reachable; a drain writes the
// desired state on a majority (2):" and one line per unreachable host.
Status CheckDrainReach(const std::vector<HostReach>& hosts, const std::string& drained);

// A host that is unreachable cannot say what it runs, so a plan would start
// its replicas again elsewhere: kUnreachable "cannot see the hosts the record
// places these replicas on, so a drain would start them again elsewhere
// (bring them back or take them out of the hosts file):" and one line per
// such host, "lab3: web 3, db 1". Ok when every owner is reachable.
Status CheckOwnersSeen(const planner::DesiredRecord& record, const planner::ActualState& actual);

}  // namespace baton::cli
