#pragma once
// The parts of MakeUpPlan (plan.cc), one host at a time: what containers,
// networks, volumes and images that host needs. Internal to the planner.
// Actions come back without `after` edges; plan.cc adds them.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "planner/plan.h"

namespace baton::planner {

using SlotKey = std::pair<std::string, int>;  // (service, slot)

struct UpContext {
  UpContext(const DesiredState& desired, const ActualState& actual, const Placement& placement,
            const UpOptions& options);

  const DesiredState& desired;
  const ActualState& actual;
  const Placement& placement;
  const UpOptions& options;
  // The services `up` may touch: those named and what they depend on, or all.
  std::set<std::string> scope;
  // In-scope assignments by host name, in (service, slot) order.
  std::map<std::string, std::vector<const Assignment*>> assigned;
  std::map<SlotKey, std::string> placed_on;  // every placed slot's host
  std::set<SlotKey> unplaced;
  std::set<std::string> unplaced_services;
  // The hosts that hold a container of each slot, in hosts-file order.
  std::map<SlotKey, std::vector<std::string>> container_hosts;
  // Engine names of the project's non-external networks and volumes by compose key.
  std::map<std::string, std::string> network_names;
  std::map<std::string, std::string> volume_names;
  // Engine names of the project's networks that span hosts (cluster_subnets.h).
  std::set<std::string> spanned_networks;
  // Plan::subnets, set by MakeUpPlan from ClusterSubnets before any host's
  // actions are made: a spanned network missing here for a host is created
  // nowhere on it.
  std::map<std::string, std::map<std::string, std::string>> subnets;
};

// A container of the project on a host that no placed slot of that host keeps.
struct Leftover {
  const ActualContainer* container;
  std::string reason;    // "scaled down", "moved to lab2", "not in the compose file"
  std::string moved_to;  // the host the slot's new container starts on, when it moved
};

// The container actions for the slots placed on `host`: create, recreate or
// start, in (service, slot) order; a slot that needs nothing has no action.
std::vector<Action> ContainerActions(const UpContext& context, const HostState& host);

// The containers on `host` to remove, in name order. A replica whose slot
// fits nowhere now stays (the plan lists it as unplaced), and so do the
// containers of services outside the scope.
std::vector<Leftover> Leftovers(const UpContext& context, const HostState& host);

// The in-scope services with a replica placed on `host`, each once.
std::vector<const ServiceSpec*> PlacedServices(const UpContext& context, const HostState& host);

// The compose keys of the networks and volumes `service` uses.
std::vector<std::string> NetworkKeys(const compose::Service& service);
std::vector<std::string> VolumeKeys(const compose::Service& service);

// Create actions for the project's non-external networks and volumes the
// in-scope services placed on `host` use and the host lacks, in key order.
// A spanned network's create carries its subnet; one that got none (see
// ClusterSubnets) is left out.
std::vector<Action> NetworkActions(const UpContext& context, const HostState& host);
std::vector<Action> VolumeActions(const UpContext& context, const HostState& host);

// Pull or push actions for the images of `containers` (this host's container
// actions) and of services that must always pull, in image order. A built
// image (content.build) the host needs and lacks is pushed from ImageSource
// (never pulled: no registry has it); with options.images_only those pushes
// are all there is.
std::vector<Action> ImageActions(const UpContext& context, const HostState& host,
                                 const std::vector<Action>& containers);

// Every spanned network's subnet on each reachable host where an in-scope
// replica placed there uses it: host -> (engine name -> subnet), the existing
// subnet (baton.subnet) or a new slice of options.cluster_subnet. A network
// present on a host without a subnet (made before baton spanned networks)
// stays host-local there and is left out. Whatever stops a pair from getting
// a subnet (a full space, a bad cluster setting) is added to `errors`.
std::map<std::string, std::map<std::string, std::string>> ClusterSubnets(
    const UpContext& context, std::vector<std::string>& errors);

// --- local content (issue 8) ----------------------------------------------

// Whether `host` needs the built image T of `spec` (which has
// content.build): a container is created from it there, or, for `baton
// build` (options.images_only), a replica is placed there. `containers` are
// the host's container actions.
bool NeedsBuiltImage(const UpContext& context, const HostState& host, const ServiceSpec& spec,
                     const std::vector<Action>& containers);

// The engine that holds or will hold `spec`'s built image T for this plan,
// where pushes to the other hosts come from: the first reachable host that
// has T (hosts-file order); else, with options.build_local, the local
// engine (""); else the first reachable host a replica of it is placed on.
std::string ImageSource(const UpContext& context, const ServiceSpec& spec);

// One kBuildImage (host = ImageSource, "" = local; service; name T; reason
// BuildUse::label) per in-scope service with content.build whose T some
// host needs and lacks, when no reachable engine (nor the local one, with
// build_local) has it, in service name order. A service whose replicas are
// placed on hosts of an architecture other than its remote build host's
// adds to `errors`: "web: built on lab1 (x86_64) but placed on lab3
// (aarch64); baton builds once per service".
std::vector<Action> BuildActions(const UpContext& context, std::vector<std::string>& errors);

// One kUploadFiles (name D, reason FileCopyUse::label) per copy the
// in-scope services placed on `host` use that is not complete there, in
// digest order.
std::vector<Action> FileUploads(const UpContext& context, const HostState& host);

// One kRemoveFiles (name D) per copy on `host`, complete or not, that no
// container mounts once the plan ran: neither a placed in-scope replica
// (FileUploads' digests) nor a container the plan keeps (every container of
// the host that is not recreated and not among `leftovers`), in digest order.
std::vector<Action> FileRemovals(const UpContext& context, const HostState& host,
                                 const std::vector<Action>& containers,
                                 const std::vector<Leftover>& leftovers);

// The kCreateNetd or kRecreateNetd `host` needs: when a replica on a spanned
// network runs there once the plan ran (placed with a subnet, or an existing
// one that is not among `leftovers`) and netd is absent, not running, or has
// a spec hash other than options.netd_hashes[host]. None when netd_hashes
// lacks the host.
std::optional<Action> NetdAction(const UpContext& context, const HostState& host,
                                 const std::vector<Leftover>& leftovers);

}  // namespace baton::planner
