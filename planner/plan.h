#pragma once
// A plan: the actions that turn the actual state into the desired one, per
// host, with the order they must run in. A plan is data: `baton plan` prints
// exactly the object `baton up` applies (runtime::ApplyPlan).

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"

namespace baton::planner {

enum class ActionKind {
  kCreateNetwork,
  kCreateVolume,
  kPullImage,        // on `host`, from its registry
  kPushImage,        // stream an image to `host` from `source_host` ("" = the local engine)
  kCreateContainer,  // create and start a new replica
  kRecreateContainer,  // stop and remove the old one, create and start the new
  kStartContainer,   // an existing, still valid replica that is not running
  kStopContainer,
  kRemoveContainer,
  kRemoveNetwork,
  kRemoveVolume,
  kRemoveImage,
  // The network helper (runtime/netd), one per host: cluster routes, rules and DNS.
  kCreateNetd,
  kRecreateNetd,  // its config or image changed
  kRemoveNetd,    // `down` left no spanned network of any project on the host
  // Local content (issue 8).
  kBuildImage,   // build `service`'s image T (`name`) on `host` ("" = the local engine)
  kUploadFiles,  // upload the copy with digest `name` to `host` (FileCopyVolume)
  kRemoveFiles,  // remove the copy with digest `name` from `host`
};

struct Action {
  ActionKind kind;
  std::string host;
  std::string service;  // container actions only
  int slot = 0;         // container actions only
  // The container, network, volume or image the action is about.
  std::string name;
  std::string container_id;  // an existing container's id, when there is one
  // Why, for the diff: "environment, image changed", "moved from h2",
  // "not in the compose file", "scaled down".
  std::string reason;
  // Indices into Plan::actions of the actions that must finish first on the
  // same or another host (networks, volumes and images before containers;
  // the old replica of a moved slot is removed after the new one started).
  // Waiting for depends_on conditions is the applier's: see ServiceOrder.
  std::vector<size_t> after;
  // kCreateNetwork of a spanned network: its slice of the cluster ("10.210.3.0/24").
  std::string subnet;
  // kPushImage: the engine that has the image, a hosts-file name, or "" for
  // the local engine.
  std::string source_host;
};

struct Plan {
  std::string project;
  std::vector<Action> actions;  // grouped by host in hosts-file order
  // Where every wanted replica ends up, changed or not; the applier waits on
  // these for depends_on conditions, wherever they run.
  std::vector<Assignment> placement;
  std::vector<Unplaced> unplaced;
  std::vector<std::string> unreachable_hosts;
  // Every spanned network's subnet on every host the plan places a replica
  // on, existing or new: host -> (engine network name -> subnet). A replica's
  // container gets netd on its network's gateway as its DNS server.
  std::map<std::string, std::map<std::string, std::string>> subnets;
  // What stops `up` besides unplaced replicas: "cluster address space
  // 10.210.0.0/16 has no free /24 for network shop_back on lab3".
  std::vector<std::string> errors;
  // What the user should know but that stops nothing: "services.traefik.
  // volumes[0]: /var/run/docker.sock is a path on each host that runs traefik".
  std::vector<std::string> notes;
  bool empty() const { return actions.empty(); }
};

struct UpOptions {
  std::vector<std::string> services;  // limit to these and their dependencies; empty = all
  bool push = false;         // push local images instead of pulling missing ones
  bool always_pull = false;  // `up --pull always`, also pull_policy: always
  bool remove_orphans = true;  // remove replicas of services not in the file
  // Cluster networking: the address space spanned networks take their
  // per-host slices from, and the netd spec hash wanted on each host (by
  // hosts-file name). A host that runs a replica on a spanned network gets
  // netd created, or recreated when its hash differs.
  std::string cluster_subnet = "10.210.0.0/16";
  int slice_prefix = 24;
  std::map<std::string, std::string> netd_hashes;
  // Build on the local engine (`--build-local`) rather than on the first
  // host that runs a replica.
  bool build_local = false;
  // `baton build`: only the build and push actions.
  bool images_only = false;
};

// The plan for `up`: networks and volumes the placed replicas need, images
// they lack, new and changed replicas, and the replicas no longer wanted
// (scaled down, moved, or of services gone from the file).
Plan MakeUpPlan(const DesiredState& desired, const ActualState& actual,
                const Placement& placement, const UpOptions& options);

struct DownOptions {
  bool volumes = false;  // -v: also the project's named volumes (never external ones)
  bool images = false;   // --rmi: also the images the services use
};

// The plan for `down`: every container of the project on every reachable
// host, then its networks (and volumes, images as asked).
Plan MakeDownPlan(const DesiredState& desired, const ActualState& actual,
                  const DownOptions& options);

// The services in start order: each after everything it depends on.
// depends_on cycles are refused by the loader, so this always succeeds.
std::vector<std::string> ServiceOrder(const DesiredState& desired);

std::string ActionKindName(ActionKind kind);

// `plan` without the actions `drop` picks; the remaining actions' `after`
// indices are renumbered, and edges to a dropped action vanish (unlike
// runtime::DropActions, which drops the dependants too).
Plan WithoutActions(Plan plan, const std::function<bool(const Action&)>& drop);  // "create", "recreate", "pull", ...

}  // namespace baton::planner
